import pytest


@pytest.mark.django_db
def test_the_back_office_speaks_chinese_by_default_and_english_on_request(client, owner, business):
    client.force_login(owner)
    chinese = client.get("/admin/catalog/service/")
    assert chinese.status_code == 200
    assert "预约后台" in chinese.content.decode()
    assert "服务" in chinese.content.decode()
    english = client.get("/admin/catalog/service/", headers={"accept-language": "en"})
    assert "Yuyue back office" in english.content.decode()
    assert "预约后台" not in english.content.decode()
