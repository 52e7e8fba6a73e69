from django.urls import path

from web_map import citizen

urlpatterns = [
    path("dang-nhap/", citizen.sign_in, name="sign-in"),
    path("dang-xuat/", citizen.sign_out, name="sign-out"),
    path("cua-toi/", citizen.my_reports, name="my-reports"),
    path("cua-toi/xoa-du-lieu/", citizen.request_erasure, name="request-erasure"),
    path("cua-toi/<uuid:public_id>/danh-gia/", citizen.rate, name="rate"),
]
