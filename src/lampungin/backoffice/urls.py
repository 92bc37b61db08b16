from django.urls import path

from lampungin.backoffice import applications, case_forms, casework, ikm, views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kepatuhan/", views.service_times, name="service_times"),
    path("ikm/", ikm.ikm, name="ikm"),
    path("laporan/<str:tracking>/", views.case_work, name="case"),
    path("laporan/<str:tracking>/ambil/", casework.pick_up, name="pick_up"),
    path("laporan/<str:tracking>/tugas/", case_forms.open_task, name="open_task"),
    path(
        "laporan/<str:tracking>/tugas/<int:task_id>/selesai/", case_forms.complete_task, name="complete_task"
    ),
    path("laporan/<str:tracking>/tugas/<int:task_id>/catatan/", case_forms.task_note, name="task_note"),
    path("laporan/<str:tracking>/gabung/", case_forms.merge, name="merge"),
    path("verifikasi/", casework.verifier_queue, name="verifier_queue"),
    path("beban-kerja/", casework.workload, name="workload"),
    path("permohonan/", applications.inbox, name="applications"),
    path("permohonan/<str:tracking>/", applications.work, name="application"),
]
