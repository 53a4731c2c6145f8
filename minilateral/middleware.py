from django.utils.cache import patch_cache_control


class NoStoreForOfficialsMiddleware:
    """A page for a signed-in official is never stored by a browser or a proxy: private
    lessons must not outlive the session in a shared computer's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
