"""Reform plan pages (ke-hoach-cchc/…), namespace ``plans``.

``plans:task`` (``nhiem-vu/<pk>/``) is a contract: the steering committee links its conclusions
to it.
"""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("tao/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="plan_issue"),
    path("<int:pk>/van-ban/", views.plan_document, name="plan_document"),
    path("<int:pk>/lich-su/", views.plan_history, name="plan_history"),
    path("<int:pk>/them-nhiem-vu/", views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/san-pham/", views.task_output, name="task_output"),
    path("nhiem-vu/<int:pk>/<slug:action>/", views.task_act, name="task_act"),
    path("tai-lieu/<int:pk>/", views.evidence_file, name="evidence_file"),
]
