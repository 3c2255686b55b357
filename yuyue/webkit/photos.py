"""Serving the photos of services and staff, in production too: only files whose name is a
stored photo's (yuyue.lib.photos), only as JPEG, cached for a year (a new photo gets a new
name), never a directory or any other file under MEDIA_ROOT."""

from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from yuyue.lib.photos import photo_path

YEAR = 365 * 24 * 3600


@require_GET
def photo(request: HttpRequest, name: str) -> FileResponse:
    path = photo_path(name)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
