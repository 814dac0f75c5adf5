from __future__ import annotations

from django.urls import path

from workbench.review import views_center as c
from workbench.review import views_export as x
from workbench.review import views_review as r

urlpatterns = [
    path("", r.home, name="home"),
    path("review/", r.my_bundles, name="my_bundles"),
    path("review/conflicts/", r.declare_conflict, name="declare_conflict"),
    path("review/<str:bundle_id>/", r.bundle_page, name="bundle"),
    path("review/<str:bundle_id>/page/<int:page>/", r.viewer, name="viewer"),
    path("review/<str:bundle_id>/page/<int:page>.png", r.page_image, name="page_image"),
    path("review/<str:bundle_id>/crop/<int:seq>/<int:idx>.png", r.crop_image, name="crop"),
    path("review/<str:bundle_id>/score/<int:item_no>/", r.save_score, name="save_score"),
    path("review/<str:bundle_id>/decision/<int:seq>/", r.save_decision, name="save_decision"),
    path("review/<str:bundle_id>/opinion/", r.save_opinion, name="save_opinion"),
    path("review/<str:bundle_id>/opinion/draft/", r.draft_opinion, name="draft_opinion"),
    path("group/<str:bundle_id>/", r.consolidate, name="consolidate"),
    path("group/<str:bundle_id>/item/<int:item_no>/", r.save_group_item, name="save_group_item"),
    path("group/<str:bundle_id>/adopt/", r.adopt_agreed, name="adopt_agreed"),
    path("group/<str:bundle_id>/sign/", r.sign_off, name="sign_off"),
    path("export/<str:bundle_id>/attachment3.xlsx", x.attachment3, name="export_a3"),
    path("export/<str:bundle_id>/attachment4.xlsx", x.attachment4_xlsx, name="export_a4_xlsx"),
    path("export/<str:bundle_id>/attachment4.pdf", x.attachment4_pdf, name="export_a4_pdf"),
    path("export/<str:bundle_id>/opinions.xlsx", x.opinions, name="export_opinions"),
    path("center/", c.center, name="center"),
    path("center/import/", c.import_view, name="import"),
    path("center/group/", c.group_create, name="group_create"),
    path("center/assign/", c.assign, name="assign"),
    path("center/bundle/<str:bundle_id>/lab/", c.lab_result, name="lab_result"),
    path("center/bundle/<str:bundle_id>/original.pdf", c.original, name="original"),
    path("center/bundle/<str:bundle_id>/identity/", c.identity, name="identity"),
    path("center/summary/", x.summary_page, name="summary"),
    path("center/summary.xlsx", x.summary_xlsx, name="summary_xlsx"),
]
