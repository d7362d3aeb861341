"""Many synthetic sites at once, each on its own port, optionally answering after a
network-like latency: what the distributed tests and benchmark crawl
(tests/test_distributed.py, benchmarks/distributed.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace

from crawler.mirror import Reply, serve_app
from crawler.replica.synthetic import SyntheticSite


@dataclass
class Delayed:
    """An app that answers like `app`, `latency` seconds later (a distant server)."""

    app: SyntheticSite
    latency: float

    def respond(self, target: str) -> Reply:
        reply = self.app.respond(target)
        return replace(reply, delay=reply.delay + self.latency)


@dataclass(frozen=True)
class FleetSite:
    name: str
    base_url: str
    site: SyntheticSite


@contextmanager
def serve_fleet(
    sizes: list[int], latency: float = 0.0, first_seed: int = 1
) -> Iterator[list[FleetSite]]:
    """Serve one synthetic site per size (seeds first_seed, first_seed + 1, ...),
    named `syn-SEED`."""
    with ExitStack() as stack:
        fleet = []
        for seed, size in enumerate(sizes, start=first_seed):
            site = SyntheticSite(size, seed=seed, log_requests=False)
            app = Delayed(site, latency) if latency else site
            base_url = stack.enter_context(serve_app(app))
            fleet.append(FleetSite(f"syn-{seed}", base_url, site))
        yield fleet


def sites_toml(fleet: list[FleetSite], like: str = "haiduong") -> str:
    """The sites file (crawler/distributed/sites.py) naming every site of the fleet."""
    return "".join(
        f'[sites.{s.name}]\nbase_url = "{s.base_url}"\nlike = "{like}"\n\n' for s in fleet
    )
