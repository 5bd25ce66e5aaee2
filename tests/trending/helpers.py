from django.test import RequestFactory

READER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"


def reader_request(ip="198.51.100.7", agent=READER_AGENT, **headers):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/a/x/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent, **headers)
    request.user = AnonymousUser()
    return request
