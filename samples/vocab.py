"""Vocabulary for sample bundles: institutions, people, employers, factors, labels.

Everything printed in a generated bundle comes from here, so realism is tuned in one
place. Limits are copied from ``../shared/domain/*.csv`` (only rows whose ``status`` is
not ``not-found``); each entry names its CSV row, and a test compares them with the
CSVs when those files are present.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# --------------------------------------------------------------------------- places
# province -> (certificate abbreviation, bundle prefix, cities {city: (area code, districts)})
PROVINCES: dict[str, tuple[str, dict[str, tuple[str, list[str]]]]] = {
    "河南省": ("豫", {
        "郑州市": ("0371", ["金水区", "中原区", "二七区", "管城回族区", "惠济区", "郑东新区"]),
        "洛阳市": ("0379", ["涧西区", "西工区", "洛龙区", "老城区"]),
        "新乡市": ("0373", ["红旗区", "卫滨区", "牧野区"]),
        "许昌市": ("0374", ["魏都区", "建安区"]),
        "南阳市": ("0377", ["宛城区", "卧龙区"]),
        "安阳市": ("0372", ["文峰区", "北关区", "殷都区"]),
        "焦作市": ("0391", ["解放区", "山阳区"]),
        "平顶山市": ("0375", ["新华区", "卫东区", "湛河区"]),
        "开封市": ("0371", ["鼓楼区", "龙亭区", "禹王台区"]),
        "商丘市": ("0370", ["梁园区", "睢阳区"]),
    }),
    "湖北省": ("鄂", {
        "武汉市": ("027", ["洪山区", "江汉区", "武昌区"]),
        "襄阳市": ("0710", ["樊城区", "襄城区"]),
    }),
    "山东省": ("鲁", {
        "济南市": ("0531", ["历下区", "槐荫区", "天桥区"]),
        "聊城市": ("0635", ["东昌府区"]),
    }),
    "河北省": ("冀", {
        "石家庄市": ("0311", ["长安区", "裕华区", "桥西区"]),
        "邯郸市": ("0310", ["丛台区", "邯山区"]),
    }),
}
HOME_PROVINCE = "河南省"  # the QC center's province: most institutions are local

ROADS = ["文化路", "建设路", "人民路", "中原路", "解放路", "工业路", "科技大道", "长江路",
         "黄河路", "嵩山路", "桐柏路", "花园路", "经三路", "纬五路", "开元大道", "兴华街",
         "光明路", "和平大道", "东风路", "迎宾大道", "创业路", "学府路", "金梭路", "商都路"]
PARKS = ["高新技术产业开发区", "经济技术开发区", "产业集聚区", "工业园区", "循环经济产业园"]

# --------------------------------------------------------------------------- institutions
# 字号 (trade name) -> pinyin initials used for abbreviations (AZ -> "AZJC")
TRADE_NAMES: dict[str, str] = {
    "安正": "AZ", "华信": "HX", "中科": "ZK", "诚信": "CX", "瑞康": "RK", "正源": "ZY",
    "恒安": "HA", "卫安": "WA", "康泰": "KT", "博源": "BY", "天健": "TJ", "宏达": "HD",
    "鑫安": "XA", "普安": "PA", "中原": "ZY", "国科": "GK", "嘉信": "JX", "德润": "DR",
    "凯瑞": "KR", "安康": "AK", "众诚": "ZC", "同创": "TC", "启明": "QM", "永安": "YA",
    "绿洲": "LZ", "清源": "QY", "锦程": "JC", "泰和": "TH", "求实": "QS", "精诚": "JC",
}
# (business words, abbreviation suffix, short-name suffix)
INSTITUTION_KINDS: list[tuple[str, str, str]] = [
    ("检测技术", "JC", "检测"),
    ("职业卫生技术服务", "ZW", "职卫"),
    ("环境检测技术", "HJ", "环境"),
    ("安全卫生评价", "AP", "安评"),
    ("职业健康技术", "ZJ", "职健"),
]
COMPANY_FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
WEB_TLDS = [".cn", ".com.cn", ".com"]

# --------------------------------------------------------------------------- people
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN_CHARS = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国峰斌浩宇晨欣怡子涵梓轩雨博文俊凯丹琳婷倩颖雪慧佳琪思远志海波宁健鑫亮飞帅林雷彬瑞昊泽嘉旭晓东新春凤梅利永庆云龙")
SPECIALTIES_FIELD = ["卫生工程", "公共卫生", "预防医学", "职业卫生", "安全工程", "环境工程"]
SPECIALTIES_LAB = ["分析化学", "化学工程", "应用化学", "卫生检验", "环境监测"]
SPECIALTIES_SENIOR = ["预防医学", "卫生工程", "公共卫生", "化学工程"]

# Registry roles (what the national registry lists per person).
ROLE_SURVEY = "现场调查"
ROLE_SAMPLING = "采样"
ROLE_LAB = "检验"
ROLE_AUTHOR = "报告编写"
ROLE_REVIEW = "审核"
ROLE_SIGN = "授权签字"
ROLE_LEAD = "项目负责人"

# --------------------------------------------------------------------------- equipment
# Illustrative models (not a claim about any manufacturer's catalogue).
FIELD_EQUIPMENT = {
    "dust_pump": [("个体粉尘采样器", "FCC-1500D"), ("个体粉尘采样器", "AKFC-92G"), ("粉尘采样器", "CCZ-20A")],
    "gas_pump": [("个体采样泵", "GilAir Plus"), ("大气采样器", "QC-2B"), ("双气路大气采样器", "TWA-300")],
    "flowmeter": [("电子皂膜流量计", "Gilibrator-2"), ("电子皂膜流量计", "DCal-500")],
    "slm": [("多功能声级计", "AWA5688"), ("积分声级计", "AWA6228+")],
    "calibrator": [("声校准器", "AWA6021A"), ("声校准器", "AWA6022A")],
    "weather": [("空盒气压表", "DYM3"), ("数字温湿度计", "TH-101")],
}
LAB_INSTRUMENTS = {
    "balance": [("电子天平(十万分之一)", "MS105DU"), ("电子天平(十万分之一)", "XS105")],
    "gc": [("气相色谱仪", "GC-2014"), ("气相色谱仪", "Agilent 7890B"), ("气相色谱仪", "GC9790Ⅱ")],
    "uv": [("紫外可见分光光度计", "UV-1800"), ("可见分光光度计", "722N")],
    "aas": [("原子吸收分光光度计", "AA-7000"), ("原子吸收分光光度计", "TAS-990")],
    "ic": [("离子色谱仪", "ICS-1100"), ("离子色谱仪", "CIC-D100")],
}

# Respirable-dust pre-separators (预分离器) and their nominal flows in L/min.
# ILLUSTRATIVE manufacturer values, not sourced (domain README §3: the pipeline should
# hold such a table from the instruments' manuals). i045: recorded flow must equal it.
SEPARATORS: dict[str, float] = {
    "YF-2型旋风式预分离器": 2.0,  # personal cyclone
    "YF-20型冲击式预分离器": 20.0,  # fixed-point impactor
}


# --------------------------------------------------------------------------- factors
@dataclass(frozen=True)
class FactorTemplate:
    """A hazard factor the generator may measure, with limits from the domain CSVs."""

    name: str  # printed name
    kind: str  # "dust" | "chemical" | "noise"
    scope_name: str  # name in the qualification scope
    pc_twa: Optional[float] = None
    pc_stel: Optional[float] = None
    mac: Optional[float] = None
    unit: str = "mg/m³"
    collector: str = ""
    sampling_method: str = "GBZ 159-2004"
    lab_method: str = ""
    lab_kind: str = ""  # key of LAB_INSTRUMENTS
    long_flow: float = 0.0  # L/min for long-time (TWA) samples
    short_flow: float = 0.0  # L/min for 15-min samples
    fixed_flow: float = 0.0  # L/min for fixed-point long-time dust samples
    csv: str = ""  # which CSV row the limits come from
    band: str = ""  # the CSV condition column, if any
    storage: str = "密封，常温避光保存"
    storage_days: int = 14


# 矽尘 bands: dust_oel_gbz2.1-2019.csv rows "矽尘" (primary-parsed, S17).
# (min % exclusive-or-inclusive handled in silica_band, total, respirable, condition)
SILICA_BANDS: list[tuple[float, float, float, float, str]] = [
    (10.0, 50.0, 1.0, 0.7, "10%≤游离SiO2含量≤50%"),
    (50.0, 80.0, 0.7, 0.3, "50%<游离SiO2含量≤80%"),
    (80.0, 100.0, 0.5, 0.2, "游离SiO2含量>80%"),
]


def silica_band(sio2_percent: float) -> tuple[float, float, str]:
    """(PC-TWA total, PC-TWA respirable, condition) for a free-SiO2 content (%)."""
    if sio2_percent < 10:
        raise ValueError("free SiO2 < 10% is not 矽尘")
    for lo, hi, total, resp, cond in SILICA_BANDS:
        if sio2_percent <= hi and (sio2_percent >= lo if lo == 10.0 else sio2_percent > lo):
            return total, resp, cond
    raise ValueError(sio2_percent)


_DUST_STORE = "滤膜置于干燥器内保存"
FACTORS: dict[str, FactorTemplate] = {f.name: f for f in [
    # Dust. 矽尘 limits are filled per bundle from SILICA_BANDS (the measured SiO2 %).
    FactorTemplate("矽尘(总尘)", "dust", "矽尘", collector="滤膜", lab_method="GBZ/T 192.1-2007",
                   lab_kind="balance", long_flow=3.0, fixed_flow=20.0,
                   csv="dust_oel_gbz2.1-2019.csv: 矽尘 (band by SiO2)", storage=_DUST_STORE, storage_days=30),
    FactorTemplate("矽尘(呼尘)", "dust", "矽尘", collector="滤膜", lab_method="GBZ/T 192.2-2007",
                   lab_kind="balance", long_flow=2.0, fixed_flow=20.0,
                   csv="dust_oel_gbz2.1-2019.csv: 矽尘 (band by SiO2)", storage=_DUST_STORE, storage_days=30),
    FactorTemplate("铝尘(总尘)", "dust", "铝尘", pc_twa=3.0, collector="滤膜", lab_method="GBZ/T 192.1-2007",
                   lab_kind="balance", long_flow=3.0, fixed_flow=20.0,
                   csv="dust_oel_gbz2.1-2019.csv: 铝尘, 铝金属、铝合金粉尘", band="铝金属、铝合金粉尘",
                   storage=_DUST_STORE, storage_days=30),
    # Metals (oel_gbz2.1-2019.csv, primary-parsed S17).
    FactorTemplate("铅烟", "chemical", "铅及其无机化合物", pc_twa=0.03, collector="微孔滤膜",
                   lab_method="GBZ/T 300.15-2017", lab_kind="aas", long_flow=2.0,
                   csv="oel_gbz2.1-2019.csv: 铅及其无机化合物（按Pb计）-铅烟", storage="密封，常温保存", storage_days=30),
    FactorTemplate("铅尘", "chemical", "铅及其无机化合物", pc_twa=0.05, collector="微孔滤膜",
                   lab_method="GBZ/T 300.15-2017", lab_kind="aas", long_flow=2.0,
                   csv="oel_gbz2.1-2019.csv: 铅及其无机化合物（按Pb计）-铅尘", storage="密封，常温保存", storage_days=30),
    # Benzene series (secondary, S08/S21/S22). Benzene 6/10 is the pre-amendment value;
    # the generator only samples up to 2022-09, before the reported 2022-11 amendment.
    FactorTemplate("苯", "chemical", "苯", pc_twa=6.0, pc_stel=10.0, collector="活性炭管",
                   lab_method="GBZ/T 300.66-2017", lab_kind="gc", long_flow=0.05, short_flow=0.1,
                   csv="oel_gbz2.1-2019.csv: 苯", storage="两端密封，4℃冷藏保存", storage_days=14),
    FactorTemplate("甲苯", "chemical", "甲苯", pc_twa=50.0, pc_stel=100.0, collector="活性炭管",
                   lab_method="GBZ/T 300.66-2017", lab_kind="gc", long_flow=0.05, short_flow=0.1,
                   csv="oel_gbz2.1-2019.csv: 甲苯", storage="两端密封，4℃冷藏保存", storage_days=14),
    FactorTemplate("二甲苯", "chemical", "二甲苯", pc_twa=50.0, pc_stel=100.0, collector="活性炭管",
                   lab_method="GBZ/T 300.66-2017", lab_kind="gc", long_flow=0.05, short_flow=0.1,
                   csv="oel_gbz2.1-2019.csv: 二甲苯（全部异构体）", storage="两端密封，4℃冷藏保存", storage_days=14),
    # MAC-only, secondary-weak (S22) but sourced.
    FactorTemplate("甲醛", "chemical", "甲醛", mac=0.5, collector="大型气泡吸收管",
                   lab_method="GBZ/T 300.99-2017", lab_kind="uv", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 甲醛", storage="密封，4℃冷藏保存", storage_days=2),
    # Inorganic gases (secondary, S21/S23).
    FactorTemplate("氨", "chemical", "氨", pc_twa=20.0, pc_stel=30.0, collector="大型气泡吸收管",
                   lab_method="GBZ/T 160.29-2004", lab_kind="uv", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 氨", storage="密封，4℃冷藏保存", storage_days=7),
    FactorTemplate("硫化氢", "chemical", "硫化氢", mac=10.0, collector="多孔玻板吸收管",
                   lab_method="GBZ/T 160.33-2004", lab_kind="uv", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 硫化氢", storage="密封，避光冷藏保存", storage_days=3),
    FactorTemplate("二氧化硫", "chemical", "二氧化硫", pc_twa=5.0, pc_stel=10.0, collector="多孔玻板吸收管",
                   lab_method="GBZ/T 160.33-2004", lab_kind="uv", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 二氧化硫", storage="密封，4℃冷藏保存", storage_days=7),
    FactorTemplate("氯化氢", "chemical", "氯化氢及盐酸", mac=7.5, collector="多孔玻板吸收管",
                   lab_method="GBZ/T 160.37-2004", lab_kind="ic", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 氯化氢及盐酸", storage="密封，常温保存", storage_days=7),
    # CO: primary-parsed (S17), not-high-altitude row. Gas bag, analysed by GC in the lab.
    FactorTemplate("一氧化碳", "chemical", "一氧化碳", pc_twa=20.0, pc_stel=30.0, collector="采气袋",
                   lab_method="GBZ/T 300.37-2017", lab_kind="gc", short_flow=0.5,
                   csv="oel_gbz2.1-2019.csv: 一氧化碳（非高原）", storage="密封，常温避光保存", storage_days=1),
    FactorTemplate("噪声", "noise", "噪声", unit="dB(A)", sampling_method="GBZ/T 189.8-2007",
                   csv="GBZ 2.2-2007 via sampling_rules.json noise.limits (85 dB(A))"),
]}
NOISE_LIMIT_DBA = 85.0

# --------------------------------------------------------------------------- industries
@dataclass(frozen=True)
class PostTemplate:
    workshop: str
    name: str
    site: str
    factors: tuple[str, ...]
    content: str
    workers: tuple[int, int] = (2, 8)


@dataclass(frozen=True)
class Industry:
    code: str  # GB/T 4754 class, e.g. "C3391"
    name: str
    scope_code: str  # major class printed in the qualification scope, e.g. "C33"
    nouns: tuple[str, ...]  # employer name nouns, e.g. ("铸造", "机械铸造")
    products: tuple[str, ...]
    posts: tuple[PostTemplate, ...]
    # (name, amount, components, hazardous components as factor scope names). Components
    # name no substance of GBZ 2.1 that the plant's posts are not tested for (not even as
    # an element symbol such as Mn, Cu or Sn): the survey's hazard list must be complete.
    raw_materials: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    processes: str
    equipment: str
    protections: str  # 职业病防护设施
    ppe: str  # 个体防护用品
    silica: Optional[tuple[float, float]] = None  # free-SiO2 % range of the dust
    notes: tuple[str, ...] = field(default_factory=tuple)


INDUSTRIES: dict[str, Industry] = {i.code: i for i in [
    Industry(
        "C3391", "黑色金属铸造", "C33", ("铸造", "机械铸造", "精密铸造", "铸业"),
        ("灰铁铸件", "球墨铸铁件", "汽车零部件铸件", "泵阀铸件"),
        (
            PostTemplate("砂处理车间", "混砂工", "混砂机旁", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "操作混砂机、加砂、巡检"),
            PostTemplate("造型车间", "造型工", "造型线操作位", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "射砂造型、合箱"),
            PostTemplate("熔炼车间", "熔炼工", "中频炉炉前", ("一氧化碳", "噪声"), "加料、熔炼、测温取样", (2, 6)),
            PostTemplate("熔炼车间", "浇注工", "浇注区", ("一氧化碳",), "铁水转运、浇注", (3, 8)),
            PostTemplate("清理车间", "落砂工", "落砂机旁", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "落砂、清理浇冒口"),
            PostTemplate("清理车间", "抛丸工", "抛丸机操作位", ("矽尘(总尘)", "噪声"), "上下料、操作抛丸机", (1, 4)),
            PostTemplate("清理车间", "打磨工", "打磨工位", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "手持砂轮机打磨铸件"),
        ),
        (("石英砂", "3600 t/a", "SiO2 约 90%", ("矽尘",)), ("膨润土", "420 t/a", "蒙脱石，含少量石英", ("矽尘",)),
         ("生铁", "5200 t/a", "Fe、C、Si", ()), ("废钢", "2800 t/a", "Fe", ()), ("煤粉", "150 t/a", "C、挥发分", ())),
        "废钢/生铁→中频炉熔炼→浇注→冷却→落砂→抛丸清理→打磨→检验入库；旧砂回收→混砂→造型",
        "中频感应电炉 2 台、自动造型线 1 条、混砂机 2 台、落砂机 1 台、抛丸机 2 台、砂轮机 8 台",
        "混砂、落砂、抛丸设脉冲布袋除尘器；熔炼炉设集气罩", "配发防尘口罩(KN95)、耳塞",
        silica=(18.0, 72.0),
    ),
    Industry(
        "C3392", "有色金属铸造", "C33", ("压铸", "铝业", "精密压铸"),
        ("铝合金压铸件", "电机壳体", "汽车铝合金件"),
        (
            PostTemplate("熔铸车间", "熔化工", "熔铝炉炉前", ("一氧化碳", "噪声"), "投料、扒渣、转运铝液", (2, 5)),
            PostTemplate("压铸车间", "压铸工", "压铸机操作位", ("噪声",), "操作压铸机、取件", (4, 12)),
            PostTemplate("精整车间", "抛光工", "抛光工位", ("铝尘(总尘)", "噪声"), "抛光、打磨铝铸件"),
            PostTemplate("精整车间", "去毛刺工", "去毛刺工位", ("铝尘(总尘)", "噪声"), "锉修、去毛刺"),
            PostTemplate("精整车间", "喷砂工", "喷砂房外操作位", ("铝尘(总尘)", "噪声"), "操作喷砂机", (1, 3)),
        ),
        (("铝锭 ADC12", "3000 t/a", "铝硅系压铸合金", ()), ("脱模剂", "12 t/a", "水基，含改性硅油", ()),
         ("天然气", "60 万m³/a", "CH4", ())),
        "铝锭→熔化→压铸→去浇口→去毛刺→抛光/喷砂→检验→包装",
        "燃气熔铝炉 2 台、压铸机 10 台、抛光机 6 台、喷砂机 1 台",
        "抛光工位设湿式除尘器；熔化炉设排烟罩", "配发防尘口罩、耳罩",
    ),
    Industry(
        "C2110", "木质家具制造", "C21", ("家具", "家居", "木业"),
        ("实木家具", "板式家具", "橱柜"),
        (
            PostTemplate("涂装车间", "喷漆工", "喷漆房", ("苯", "甲苯", "二甲苯"), "手工喷涂底漆、面漆", (2, 8)),
            PostTemplate("涂装车间", "调漆工", "调漆间", ("苯", "甲苯", "二甲苯"), "按配比调配油漆、稀释剂", (1, 3)),
            PostTemplate("涂装车间", "晾干工", "晾干房", ("甲苯", "二甲苯"), "工件转运、晾干", (1, 4)),
            PostTemplate("贴面车间", "热压工", "热压机操作位", ("甲醛", "噪声"), "涂胶、热压贴面", (2, 6)),
            PostTemplate("开料车间", "开料工", "开料锯操作位", ("噪声",), "操作推台锯、裁板", (2, 6)),
        ),
        (("聚氨酯漆", "36 t/a", "含甲苯、二甲苯，苯≤0.3%", ("甲苯", "二甲苯", "苯")),
         ("稀释剂", "18 t/a", "甲苯、二甲苯", ("甲苯", "二甲苯")),
         ("固化剂", "9 t/a", "多异氰酸酯预聚物、二甲苯", ("二甲苯",)),
         ("脲醛树脂胶", "25 t/a", "含游离甲醛≤0.3%", ("甲醛",)),
         ("中密度纤维板", "8000 张/a", "木纤维、胶粘剂", ())),
        "开料→封边→钻孔→贴面热压→打磨→底漆→面漆→晾干→组装→包装",
        "推台锯 4 台、封边机 2 台、热压机 2 台、水帘喷漆房 3 间",
        "喷漆房设水帘+活性炭吸附；调漆间设排风扇", "配发防毒面具(有机蒸气滤毒盒)、防护手套",
    ),
    Industry(
        "C2621", "氮肥制造", "C26", ("化工", "化肥", "煤化工"),
        ("合成氨", "尿素", "碳酸氢铵"),
        (
            PostTemplate("造气车间", "造气工", "造气炉操作平台", ("一氧化碳", "噪声"), "操作造气炉、加焦", (3, 9)),
            PostTemplate("脱硫车间", "脱硫工", "脱硫塔巡检位", ("硫化氢", "二氧化硫"), "巡检脱硫系统、取样", (2, 6)),
            PostTemplate("合成车间", "合成工", "合成塔控制室外", ("氨", "噪声"), "巡检合成系统、调节工艺", (3, 9)),
            PostTemplate("压缩车间", "压缩工", "压缩机房", ("氨", "一氧化碳", "噪声"), "巡检压缩机", (3, 8)),
            PostTemplate("罐区", "装车工", "液氨装车鹤位", ("氨",), "液氨装车", (2, 4)),
            PostTemplate("水处理车间", "水处理工", "加酸间", ("氯化氢",), "配酸、加药", (1, 3)),
        ),
        (("无烟煤", "18 万t/a", "C、S", ()), ("液氨", "副产", "NH3", ("氨",)),
         ("盐酸", "300 t/a", "HCl 31%", ("氯化氢及盐酸",)), ("脱硫剂 (栲胶)", "50 t/a", "栲胶、碳酸钠", ())),
        "煤→造气→脱硫→变换→脱碳→精脱硫→压缩→合成→氨分离→尿素合成/液氨外售",
        "造气炉 8 台、脱硫塔 2 座、压缩机 6 台、合成塔 2 座、液氨储罐 4 台",
        "生产装置密闭化；设有毒气体报警仪", "配发防毒面具、空气呼吸器、防化手套",
    ),
    Industry(
        "C3843", "铅酸蓄电池制造", "C38", ("电源", "蓄电池", "能源科技"),
        ("电动车用铅酸蓄电池", "汽车启动用蓄电池"),
        (
            PostTemplate("制粉车间", "制粉工", "铅粉机旁", ("铅尘", "噪声"), "投料、巡检球磨机", (2, 5)),
            PostTemplate("板栅车间", "铸板工", "铸板机操作位", ("铅烟",), "熔铅、铸造板栅", (2, 6)),
            PostTemplate("和膏车间", "和膏工", "和膏机操作位", ("铅尘",), "投料、和膏", (1, 4)),
            PostTemplate("涂板车间", "涂板工", "涂板机旁", ("铅尘", "噪声"), "涂板、收板", (2, 6)),
            PostTemplate("装配车间", "分刷片工", "分片机工位", ("铅尘", "噪声"), "分片、刷耳", (4, 12)),
            PostTemplate("装配车间", "焊接工", "铸焊机工位", ("铅烟",), "铸焊、烧焊", (3, 8)),
        ),
        (("电解铅", "9000 t/a", "Pb≥99.99%", ("铅及其无机化合物",)),
         ("铅钙合金", "1500 t/a", "以Pb为主的合金", ("铅及其无机化合物",)),
         ("铅膏添加剂", "20 t/a", "腐殖酸、短纤维、炭黑", ()), ("隔板", "120 万片/a", "PE", ())),
        "铅锭→制粉→和膏→涂板→固化干燥→分片刷耳→装配→铸焊→灌酸化成→检测包装",
        "铅粉机 3 台、铸板机 6 台、和膏机 2 台、涂板机 2 台、分片机 4 台、铸焊机 3 台",
        "铅烟、铅尘产生点设局部排风+高效过滤；设淋浴间、更衣室", "配发防尘口罩、工作服",
    ),
    Industry(
        "C3041", "平板玻璃制造", "C30", ("玻璃", "硅业", "建材"),
        ("浮法玻璃", "光伏玻璃"),
        (
            PostTemplate("原料车间", "配料工", "配料称量皮带", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "巡检配料系统、清理", (2, 6)),
            PostTemplate("原料车间", "混合工", "混合机操作位", ("矽尘(总尘)", "矽尘(呼尘)", "噪声"), "操作混合机", (1, 4)),
            PostTemplate("熔化车间", "投料工", "窑头投料口", ("矽尘(总尘)", "一氧化碳", "噪声"), "巡检投料机", (2, 6)),
            PostTemplate("冷端车间", "切割工", "切割机操作位", ("噪声",), "切割、掰边", (3, 9)),
        ),
        (("石英砂", "16 万t/a", "SiO2 约 98%", ("矽尘",)), ("纯碱", "4.5 万t/a", "Na2CO3", ()),
         ("白云石", "3 万t/a", "CaMg(CO3)2", ()), ("天然气", "3000 万m³/a", "CH4", ())),
        "原料称量→混合→熔化→成形→退火→切割→包装",
        "配料称量系统 1 套、混合机 2 台、熔窑 1 座、锡槽 1 座、切割机 4 台",
        "配料、混合设脉冲除尘器；窑头设集尘罩", "配发防尘口罩、耳塞",
        silica=(60.0, 95.0),
    ),
]}

EMPLOYER_TRADE = ["宏远", "金盛", "兴达", "鑫源", "瑞丰", "华通", "正大", "永盛", "天成", "恒通",
                  "隆基", "中泰", "新华", "万达", "昌盛", "东方", "顺发", "盛鑫", "利民", "德胜",
                  "佳美", "亿丰", "龙腾", "广源", "凯旋", "汇丰", "福瑞", "金鼎", "大地", "国盛"]

# --------------------------------------------------------------------------- labels
# canonical label -> synonyms real institutions print (Style.labels picks one).
LABEL_SYNONYMS: dict[str, list[str]] = {
    "采样日期": ["采样日期", "采样时间", "检测日期"],
    "采样时段": ["采样时段", "采样起止时间", "采样时间段"],
    "样品编号": ["样品编号", "样品唯一性编码", "样品编码", "样品标识号"],
    "陪同人": ["陪同人", "企业陪同人员", "用人单位陪同人", "陪同人员"],
    "复核人": ["复核人", "校核人", "核对人"],
    "采样人": ["采样人", "采样人员", "现场采样人"],
    "调查人": ["调查人", "调查人员", "现场调查人员"],
    "编制人": ["编制人", "编写人", "编制"],
    "审核人": ["审核人", "审核", "审核人员"],
    "批准人": ["批准人", "审批人", "批准"],
    "签发人": ["签发人", "签发", "授权签字人"],
    "采样地点": ["采样地点", "采样点", "工作地点", "检测地点"],
    "检测项目": ["检测项目", "检测因素", "危害因素"],
    "采样流量": ["采样流量", "流量"],
    "用人单位": ["用人单位", "受检单位", "被检测单位", "委托单位"],
    "项目编号": ["项目编号", "任务编号", "委托编号"],
    "送样人": ["送样人", "交样人", "移交人"],
    "收样人": ["收样人", "接收人", "接样人"],
    "接收日期": ["接收日期", "收样日期", "样品接收日期"],
    "分析人": ["分析人", "检验人", "检测人"],
    "分析日期": ["分析日期", "测定日期", "检测日期"],
    "保存条件": ["保存条件", "样品保存条件", "贮存条件"],
    "气象条件": ["气象条件", "环境条件", "天气情况"],
    "设备编号": ["设备编号", "仪器编号", "设备唯一性编号"],
}

# table -> canonical column keys (Style.column_order permutes the middle ones).
TABLE_COLUMNS: dict[str, list[str]] = {
    "sampling": ["sample_id", "site", "post", "factor", "mode", "period", "minutes", "flow_before",
                 "flow_after", "pump_id"],
    "transfer": ["sample_id", "factor", "date", "collector", "condition", "count"],
    "lab": ["sample_id", "sampling_date", "mass", "volume", "conc", "note"],
    "calc": ["sample_id", "factor", "flow", "minutes", "volume", "mass", "conc"],
    "results": ["workshop", "post", "site", "factor", "c_twa", "c_stel", "limit", "judgement"],
}

WEATHER = ["晴", "多云", "阴", "晴转多云", "多云转晴"]
TRANSFER_CONDITIONS = ["完好，密封无破损", "完好，标签清晰", "密封完好，无污染"]
