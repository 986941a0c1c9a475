"""The lean reference's handlers served by FastAPI instead of Starlette: what FastAPI's own
request handling costs at the least (`scripts/bench --fastapi-floor`).

The same functions as `scripts/bench_reference.py`, each taking the `Request` and returning a
`Response`: no dependencies, no models, no middleware of ours. The gap between this and the
Starlette reference is FastAPI's routing and request handling alone; the gap between our API and
this is what the product adds (authentication, authorization, validation, response models,
middleware) and what FastAPI charges for declaring them.
"""

from fastapi import FastAPI
from starlette.routing import Route

from scripts import bench_reference

app = FastAPI(lifespan=bench_reference.app.router.lifespan_context)
for route in bench_reference.app.routes:
    assert isinstance(route, Route)
    app.add_api_route(
        route.path, route.endpoint, methods=sorted((route.methods or set()) - {"HEAD"})
    )
