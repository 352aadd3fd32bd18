"""`make bench`: load synthetic cases into a fresh PostgreSQL database, measure, write the report.

    python -m bench                 # quick: 50,000 cases (a few minutes on 2 cores)
    python -m bench --full          # 1,000,000 cases in 10 organisations (500k, 100k, 8 × 50k)
    python -m bench --cases 20000   # any size

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/hamroh_bench) names the benchmark
database: it is DROPPED and recreated. The peer (django-helpdesk) gets `<name>_peer`, the
dispatch run `<name>_dispatch`. Redis comes from REDIS_URL / CELERY_BROKER_URL as usual.
The machine is shared, so every figure sits next to a baseline measured in the same run and
the ratios are the verdict. Writes docs/benchmarks.md and var/bench/results.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hamroh_bench"
QUICK_CASES = 50_000
FULL_CASES = 1_000_000
RESULTS = ROOT / "var" / "bench" / "results.json"
# The last full run's figures, committed: every report shows them beside its own.
FULL_RESULTS = ROOT / "docs" / "benchmarks-full.json"


def _environment() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    os.environ.setdefault("ALLOW_DEV_SECRETS", "true")
    # The bench logs in as an organisation admin for the statistics page (no TOTP device).
    os.environ.setdefault("MFA_ENFORCED", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if os.environ.get("REDIS_URL"):  # the dispatch run needs a real broker: Redis if given
        os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])
    sys.path.insert(0, str(ROOT))


def _recreate_database(name: str, settings_dict: dict) -> None:
    import psycopg

    if not name.startswith("hamroh_bench"):
        raise SystemExit(f"refusing to drop {name!r}: the bench database must be hamroh_bench*")
    dsn = (
        f"host={settings_dict['HOST'] or '127.0.0.1'} port={settings_dict['PORT'] or 5432} "
        f"user={settings_dict['USER'] or 'postgres'} dbname=postgres"
    )
    if settings_dict.get("PASSWORD"):
        dsn += f" password={settings_dict['PASSWORD']}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # UTF-8 ctype: pg_trgm must see Cyrillic letters as letters (dba.SE 63193).
        conn.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


def machine() -> dict:
    import django
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"{int(mem) / 2**20:.1f} GiB"
    except OSError:
        memory = "?"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = cursor.fetchone()[0]
    else:
        pg = f"not used ({connection.vendor})"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "load_average": os.getloadavg(),
    }


def _load(args: argparse.Namespace, name: str, say) -> dict:
    """Recreate the database and fill it with the generator; the load figures."""
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    say(f"[bench] recreating database {name}")
    connection.close()
    _recreate_database(name, connection.settings_dict)
    call_command("migrate", verbosity=0)
    call_command("load_rules", verbosity=0, stdout=io.StringIO())

    say(f"[bench] generating {args.cases} cases in {args.organisations} organisations")
    started = time.perf_counter()
    summary = generate(
        cases=args.cases,
        organisations=args.organisations,
        shares=organisation_shares(args.organisations),
        seed=args.seed,
        progress=lambda n: n % 50_000 == 0
        and say(f"[bench]   {n} cases, {time.perf_counter() - started:.0f} s"),
    )
    load_seconds = time.perf_counter() - started
    rows = sum(
        getattr(summary, k)
        for k in ("migrants", "cases", "checklist_items", "deadlines", "reminders", "deliveries")
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "seconds": round(load_seconds, 1),
        "cases_per_s": round(summary.cases / load_seconds),
        "rows": rows,
        "rows_per_s": round(rows / load_seconds),
        "projected_1m_minutes": round(FULL_CASES / (summary.cases / load_seconds) / 60, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - began, 1),
        "summary": {k: v for k, v in vars(summary).items() if k != "organisation_ids"},
    }


def organisation_shares(organisations: int) -> list[float]:
    """Half the cases in the first organisation (its deepest list page is half the cases down:
    ~500,000 rows at 1M, as the goal asks), a tenth in the second (100,000 at 1M: the size the
    statistics goal names), the rest shared evenly."""
    if organisations < 3:
        return [1.0] * organisations
    return [0.5, 0.1] + [0.4 / (organisations - 2)] * (organisations - 2)


def _organisations_by_size() -> list[tuple[int, int]]:
    """(organisation id, cases) of the synthetic organisations, largest first."""
    from django.db.models import Count

    from cases.models import Case

    rows = (
        Case.objects.filter(organisation__slug__startswith="synthetic-")
        .values_list("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return list(rows)


def _previous_load(args: argparse.Namespace) -> dict:
    """--reuse: the database was loaded by an earlier run; its load figures come from that
    run's results file when it loaded the same size, else the load is reported as not measured."""
    from cases.models import Case

    cases = Case.objects.count()
    if cases != args.cases:
        raise SystemExit(f"--reuse: the database holds {cases:,} cases, not {args.cases:,}")
    try:
        previous = json.loads(RESULTS.read_text()).get("load") or {}
    except (OSError, ValueError):
        previous = {}
    if (previous.get("summary") or {}).get("cases") != cases:
        raise SystemExit(f"--reuse: {RESULTS} is not from the run that loaded this database")
    return previous | {"reused": True}


def _full_results() -> dict | None:
    try:
        return json.loads(FULL_RESULTS.read_text())
    except (OSError, ValueError):
        return None


def _save_partial(results: dict) -> None:
    """After every step, so a run that dies late keeps what it measured."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.with_suffix(".partial.json").write_text(json.dumps(results, indent=2, default=str))


def run(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import export_memory, measures
    from cases.models import Organisation

    # The manifest storage needs collectstatic; the bench reads static files from the apps
    # (as the test suite does). Byte counts are the same; only the file names differ.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = connection.settings_dict["NAME"]
    results: dict = {
        "cases": args.cases,
        "organisations": args.organisations,
        "seed": args.seed,
        "repeats": args.repeats,
    }
    say = print

    if args.reuse:
        results["load"] = _previous_load(args)
        call_command("migrate", verbosity=0)
    else:
        results["load"] = _load(args, name, say)
    results["machine"] = machine()
    _save_partial(results)
    # The case list and search in the largest organisation; statistics in the one nearest the
    # goal's 100,000 cases.
    sizes = _organisations_by_size()
    ctx = measures.make_context(Organisation.objects.get(pk=sizes[0][0]), repeats=args.repeats)
    nearest = min(sizes, key=lambda row: abs(row[1] - 100_000))
    stats_ctx = measures.make_context(Organisation.objects.get(pk=nearest[0]), repeats=args.repeats)

    steps = [
        ("ping", lambda: measures.ping(ctx)),
        ("case_list", lambda: measures.case_list(ctx, depth=500_000)),
        ("search", lambda: measures.search(ctx)),
        ("plan", lambda: measures.plan(ctx)),
        ("stats", lambda: measures.stats(stats_ctx)),
        ("migrant_page", lambda: measures.migrant_page(ctx)),
        ("export", lambda: export_memory.measure()),
    ]
    if args.resync:
        steps.append(("resync", lambda: measures.resync(target=args.resync)))
    for key, step in steps:
        say(f"[bench] {key}")
        began = time.perf_counter()
        results[key] = step()
        say(f"[bench]   {time.perf_counter() - began:.1f} s")
        _save_partial(results)

    if args.peer:
        from bench import peer

        say("[bench] peer: django-helpdesk (own virtualenv under var/bench/peer)")
        try:
            results["peer_load"] = peer.prepare(dict(connection.settings_dict))
            results["peer"] = peer.measure(args.repeats, list(measures.SEARCH_TERMS.values()))
        except Exception as exc:  # the peer is a comparison, not our product: report, go on
            results["peer"] = {"error": f"{exc.__class__.__name__}: {exc}"[:500]}
    if args.dispatch:
        from bench import dispatch

        say(f"[bench] dispatch of {args.dispatch} reminders with a real worker")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{name}_dispatch"
        try:
            results["dispatch"] = dispatch.run(args.dispatch)
        except Exception as exc:
            results["dispatch"] = {"error": f"{exc.__class__.__name__}: {exc}"[:500]}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help=f"{FULL_CASES:,} cases")
    parser.add_argument("--cases", type=int, help=f"number of cases (quick: {QUICK_CASES:,})")
    parser.add_argument("--organisations", type=int, help="default: 3 quick, cases/100,000 full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20, help="timed requests per figure")
    parser.add_argument("--resync", type=int, help="open cases to re-sync (quick 1,000; 0 skips)")
    parser.add_argument("--dispatch", type=int, help="reminders to dispatch (0 skips)")
    parser.add_argument("--no-peer", dest="peer", action="store_false")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database an earlier run loaded (same --cases); keep its load figures",
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--report-only", action="store_true", help="re-render from var/bench/results.json"
    )
    args = parser.parse_args(argv)
    if args.report_only:
        from bench import report

        results = json.loads(RESULTS.read_text())
        Path(args.output).write_text(report.render(results, _full_results()))
        print(f"[bench] wrote {args.output} from var/bench/results.json")
        return 0
    args.cases = args.cases or (FULL_CASES if args.full else QUICK_CASES)
    args.organisations = args.organisations or max(3, args.cases // 100_000)
    args.resync = args.resync if args.resync is not None else (100_000 if args.full else 1000)
    if args.dispatch is None:
        args.dispatch = 100_000 if args.full else 5000
    _environment()
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    results = run(args)
    results["command"] = command.strip()
    results["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["wall_seconds"] = round(time.perf_counter() - started)
    from bench import report

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    if results["cases"] >= FULL_CASES:
        FULL_RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = report.render(results, _full_results())
    Path(args.output).write_text(text)
    print(report.table(results))
    print(f"[bench] wrote {args.output} and var/bench/results.json in {results['wall_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
