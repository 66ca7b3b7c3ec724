"""Building or reusing the demo database (``exonc demo``).

The demo trial is the synthetic trial shifted so that its enrolment ends a month before
the day it is built, seen as it stood on that day: early participants have finished,
recent ones are mid-programme and have visits due. A build key (exonc version, seed,
protocol checksum, generative model, migrations) decides whether an existing database
can be reused; the database is rebuilt when any of them changed or on request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from exonc import __version__
from exonc.errors import TrialStateError
from exonc.platform.demo import counts, load_demo
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol
from exonc.protocol import add_months
from exonc.synthetic import DEFAULT_SEED, as_of, generate_trial

ENROLMENT_MONTHS = 30
Say = Callable[[str], object]


@dataclass(frozen=True)
class DemoOutcome:
    database: str
    action: str  # "built" or "reused"
    counts: dict[str, int]


def build_key() -> str:
    model = (resources.files("exonc.synthetic") / "data" / "preferable-effect.toml").read_bytes()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    parts = [__version__, str(DEFAULT_SEED), active_protocol().checksum, *migrations]
    digest = hashlib.sha256("\n".join(parts).encode() + model)
    return digest.hexdigest()


def prepare(*, today: dt.date, rebuild: bool, say: Say) -> DemoOutcome:
    """Make sure the configured database holds the demo trial; build it if needed."""
    marker = settings.EXONC.var_dir / "demo-build.json"
    key = build_key()
    previous = _read_marker(marker)
    database = _describe_database()
    if not rebuild and previous.get("key") == key and _has_data():
        built = previous.get("built_on")
        say(f"reusing the demo database built on {built} (--rebuild for a fresh one)")
        return DemoOutcome(database, "reused", counts())
    if previous.get("key") != key and previous:
        say("the demo's data, protocol or schema changed since the last build: rebuilding")
    _reset_database(previous_demo=bool(previous))
    say("building the synthetic PREFERABLE-EFFECT trial")
    start = add_months(today, -(ENROLMENT_MONTHS + 1))
    trial = as_of(generate_trial(seed=DEFAULT_SEED, start=start), today)
    load_demo(trial)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"key": key, "built_on": today.isoformat()}) + "\n")
    return DemoOutcome(database, "built", counts())


def _read_marker(marker: Path) -> dict[str, str]:
    try:
        data = json.loads(marker.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe_database() -> str:
    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("sqlite3"):
        return str(config["NAME"])
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    return f"{engine}://{config.get('HOST') or 'localhost'}/{config['NAME']}"


def _has_data() -> bool:
    try:
        return Participant.objects.exists()
    except Exception:
        return False


def _reset_database(*, previous_demo: bool) -> None:
    """Start from an empty, migrated database; never wipe a database the demo did not build."""
    config = settings.DATABASES["default"]
    if config["ENGINE"].endswith("sqlite3"):
        connections.close_all()
        path = Path(config["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    elif _has_data():
        if not previous_demo:
            raise TrialStateError(
                f"{_describe_database()} holds participants that the demo did not create; "
                "point EXONC_DATABASE_URL at an empty database for the demo"
            )
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
