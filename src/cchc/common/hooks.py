"""What the common app plugs in: the API root, listing the viewsets apps put in ``api_routes``."""

from .routes import UrlInclude, api_root_urls, includes

includes.register(UrlInclude("api-root", "api/v1/", api_root_urls, order=210))
includes.register(UrlInclude("health", "", "cchc.common.health_urls", order=5))
