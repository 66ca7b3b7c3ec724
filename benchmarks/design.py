"""Simulation-based power: 1,000 simulated trials with a Kenward–Roger MMRM each.

Design: the shipped ``preferable-effect`` design's QLQ-C30 summary score alone (effects
3.9 / 4.8 / 4.3 at m3 / m6 / m9, SD about 14.5, baseline covariate, 8 / 12 / 16 % MCAR
dropout), 179 per arm (358 participants; the trial randomised 357), unstructured
covariance, Kenward–Roger df, contrast at m6. Measured in the same run:

- ``simulate_power`` in this process (wall and CPU time);
- the same on a Dask ``LocalCluster`` with 1 and with 2 single-threaded worker processes
  (cluster start-up timed apart; CPU time summed over the workers);
- the peer: a loop of statsmodels ``MixedLM`` fits (random intercept, REML — a poorer
  covariance model, and no Kenward–Roger) on the same simulated trials, per simulation.

Goal (issue 15): 1,000 trials ≤ 15 s on 2 cores. The machine is shared, so CPU seconds
are reported beside wall seconds. Tracker throughput per worker is measured too: the
per-participant summaries of a synthetic Fitabase set, locally and through a mapper on
the cluster.
"""

from __future__ import annotations

import dataclasses
import resource
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._report import cpu_seconds, load, machine, write_section
from exonc.design import TrialDesign, shipped_design, simulate_power, simulate_trial
from exonc.design._dask import connect, dask_runner

SIMS = 1_000
N_PER_ARM = 179
SEED = 2026
PEER_SIMS = 20
GOAL_SECONDS = 15.0


def design() -> TrialDesign:
    shipped = shipped_design("preferable-effect").design
    return dataclasses.replace(shipped, outcomes=shipped.outcomes[:1], name="c30-summary")


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serial(chosen: TrialDesign) -> dict[str, Any]:
    start, cpu = time.perf_counter(), cpu_seconds()
    result = simulate_power(chosen, N_PER_ARM, sims=SIMS, seed=SEED)
    return {
        "wall": time.perf_counter() - start,
        "cpu": cpu_seconds() - cpu,
        "power": result.power,
        "mc_se": result.mc_se,
        "failed": result.failed,
        "analytical": result.analytical[0],
        "p": result.p_values,
    }


def on_cluster(chosen: TrialDesign, workers: int) -> dict[str, Any]:
    started = time.perf_counter()
    with connect("local", workers=workers) as client:
        ready = time.perf_counter() - started
        client.run(lambda: None)
        before = sum(client.run(_worker_cpu).values())
        start = time.perf_counter()
        result = simulate_power(chosen, N_PER_ARM, sims=SIMS, seed=SEED, runner=dask_runner(client))
        wall = time.perf_counter() - start
        cpu = sum(client.run(_worker_cpu).values()) - before
    return {"startup": ready, "wall": wall, "cpu": cpu, "power": result.power, "p": result.p_values}


def _long(chosen: TrialDesign, stream: int) -> pd.DataFrame:
    trial = simulate_trial(chosen, N_PER_ARM, seed=SEED, stream=stream)
    n, m = trial.observed.shape
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), m),
            "visit": np.tile(list(chosen.visits), n),
            "arm": np.repeat(np.where(trial.treated, "exercise", "control"), m),
            "baseline": np.repeat(trial.baseline[:, 0], m),
            "y": np.where(trial.observed, trial.values[:, 0, :], np.nan).ravel(),
        }
    )
    return frame.dropna()


def peer(chosen: TrialDesign) -> dict[str, float]:
    import statsmodels.formula.api as smf

    frames = [_long(chosen, stream) for stream in range(PEER_SIMS)]
    start, cpu = time.perf_counter(), cpu_seconds()
    for frame in frames:
        model = smf.mixedlm("y ~ arm * visit + baseline * visit", frame, groups=frame["id"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(reml=True)
    return {
        "wall": (time.perf_counter() - start) / PEER_SIMS,
        "cpu": (cpu_seconds() - cpu) / PEER_SIMS,
    }


def main() -> None:
    started_at = load()
    chosen = design()
    local = serial(chosen)
    clusters = {w: on_cluster(chosen, w) for w in (1, 2)}
    same = all(np.array_equal(local["p"], c["p"], equal_nan=True) for c in clusters.values())
    other = peer(chosen)
    per_sim = local["cpu"] / SIMS
    rows = [
        f"| This process (serial) | {local['wall']:.1f} s | {local['cpu']:.1f} s | "
        f"{1000 * local['wall'] / SIMS:.1f} ms | {1000 * per_sim:.1f} ms |",
        *(
            f"| LocalCluster, {w} worker{'s' if w > 1 else ''} (start-up {c['startup']:.1f} s "
            f"apart) | {c['wall']:.1f} s | {c['cpu']:.1f} s | {1000 * c['wall'] / SIMS:.1f} ms | "
            f"{1000 * c['cpu'] / SIMS:.1f} ms |"
            for w, c in clusters.items()
        ),
        f"| statsmodels MixedLM loop (random intercept, REML; {PEER_SIMS} trials) | "
        f"{other['wall'] * SIMS:.0f} s (projected) | {other['cpu'] * SIMS:.0f} s (projected) | "
        f"{1000 * other['wall']:.1f} ms | {1000 * other['cpu']:.1f} ms |",
    ]
    best = min(c["wall"] for c in clusters.values())
    body = f"""## Design: simulation-based power (`benchmarks/design.py`)

{machine()}; {started_at} when the run started

Command: `python -m benchmarks design`. {SIMS:,} simulated trials of the shipped
`preferable-effect` design's QLQ-C30 summary score (179 per arm, 358 participants, three
visits, baseline covariate, 8 / 12 / 16 % dropout), each analysed with exonc's MMRM
(unstructured covariance, REML, Kenward–Roger df, contrast at m6). Power
{local["power"]:.3f} (Monte-Carlo SE {local["mc_se"]:.3f}; {local["failed"]} failed fits);
Lu, Luo & Chen (2008) give {local["analytical"]:.3f}. The same p-values on every runner:
{"yes" if same else "NO"}.

| Runner | Wall, 1,000 trials | CPU | Wall per trial | CPU per trial |
| --- | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Goal: 1,000 trials ≤ {GOAL_SECONDS:.0f} s on 2 cores — best wall {best:.1f} s
({"met" if best <= GOAL_SECONDS else "not met on this shared machine"}); the CPU time per
trial ({1000 * per_sim:.1f} ms) puts 1,000 trials at {per_sim * SIMS / 2:.1f} s on two
free cores. MixedLM fits a poorer model (random intercept, no Kenward–Roger) and is
{other["cpu"] / per_sim:.0f}× slower per trial in CPU time. For reference, the analysis
section quotes R mmrm at ~106 ms per fit (issue 4; R is not installed here), i.e. about
106 s for 1,000 trials on one core before any simulation or simr overhead.
"""
    write_section("design", body)
    print(body)


def _scenarios() -> list[tuple[str, TrialDesign, int, float]]:
    """(label, design, n per arm, analytical power) for the methods page's table."""
    from exonc.design import OutcomeDesign, covariance_matrix, lu_power, t_test_power

    one = np.array([[100.0]])
    t_design = TrialDesign(visits=("v1",), outcomes=(OutcomeDesign("y", (5.0,), one),))
    ancova = TrialDesign(
        visits=("v1",),
        outcomes=(OutcomeDesign("y", (4.0,), one, baseline_sd=10.0, baseline_correlation=0.5),),
    )
    ar1 = covariance_matrix("ar1", 10.0, 0.6, 3)
    dropout = TrialDesign(
        visits=("v1", "v2", "v3"),
        outcomes=(OutcomeDesign("y", (1.0, 2.0, 3.0), ar1),),
        dropout=(0.1, 0.2, 0.3),
    )
    c30 = design()
    return [
        ("one visit, complete, t test (d = 0.5)", t_design, 64, t_test_power(5.0, 10.0, 64, 64)),
        (
            "one visit, ANCOVA on baseline (rho = 0.5)",
            ancova,
            50,
            t_test_power(4.0, 10.0, 50, 50, baseline_correlation=0.5),
        ),
        ("3 visits, AR(1) 0.6, dropout 10/20/30 %", dropout, 150, lu_power(dropout, 150)),
        ("same, small trial", dropout, 40, lu_power(dropout, 40)),
        ("preferable-effect C30 summary, m6", c30, N_PER_ARM, lu_power(c30, N_PER_ARM)),
    ]


def agreement(sims: int = 1_000) -> str:
    """Markdown rows: simulated power (MC SE) against the analytical formula."""
    rows = ["| Scenario | n per arm | Analytical | Simulated (MC SE) | Difference / MC SE |"]
    rows.append("| --- | ---: | ---: | ---: | ---: |")
    for label, chosen, n, exact in _scenarios():
        found = simulate_power(chosen, n, sims=sims, seed=SEED)
        z = (found.power - exact) / max(found.mc_se, 1e-9)
        rows.append(
            f"| {label} | {n} | {exact:.3f} | {found.power:.3f} ({found.mc_se:.3f}) | {z:+.1f} |"
        )
    return "\n".join(rows)


TRACKER_PARTICIPANTS = 1_000
TRACKER_DAYS = 2


def _summarise_timed(partitioner: Any, mapper: Any) -> tuple[float, float, Any]:
    from exonc.trackers.pipeline import summarise_partitions

    start, cpu = time.perf_counter(), cpu_seconds()
    daily, _ = summarise_partitions(partitioner, None, mapper)
    return time.perf_counter() - start, cpu_seconds() - cpu, daily


def trackers() -> None:
    """Per-participant summaries of a synthetic Fitabase set: threads, 1 and 2 workers."""
    import tempfile
    from pathlib import Path

    from benchmarks.trackers import OUT, generate
    from exonc.design._dask import map_partitions
    from exonc.trackers.partitions import Partitioner
    from exonc.trackers.pipeline import read_files

    started_at = load()
    folder = generate(OUT.parent / "design-trackers", TRACKER_PARTICIPANTS, TRACKER_DAYS)
    files = sorted(folder.glob("*.csv"))
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        partitioner = Partitioner(Path(scratch), 4 << 30)
        start = time.perf_counter()
        read_files(files, "fitabase", partitioner)
        reading = time.perf_counter() - start
        wall, cpu, local = _summarise_timed(partitioner, None)
        rows.append(_tracker_row("threads in this process", wall, cpu, 1))
        for workers in (1, 2):
            with connect("local", workers=workers) as client:
                before = sum(client.run(_worker_cpu).values())
                wall, _, daily = _summarise_timed(
                    partitioner, lambda f, items: map_partitions(client, f, items)
                )
                cpu = sum(client.run(_worker_cpu).values()) - before
            same = "identical" if daily.equals(local) else "DIFFERENT"
            rows.append(
                _tracker_row(f"LocalCluster, {workers} worker(s) ({same})", wall, cpu, workers)
            )
    minutes = TRACKER_PARTICIPANTS * TRACKER_DAYS * 1440
    body = f"""## Design: tracker summaries per worker (`benchmarks/design.py --trackers`)

{machine()}; {started_at} when the run started

Command: `python -m benchmarks.design --trackers`. {TRACKER_PARTICIPANTS:,} synthetic
participants × {TRACKER_DAYS} days of Fitabase narrow minutes ({minutes / 1e6:.1f} M minutes;
`benchmarks/trackers.py`'s generator), read once on the client ({reading:.1f} s), then the
per-participant daily summaries (`summarise_partitions`) with the default threads and through
`--scheduler`'s mapper on a LocalCluster.

| Summaries run by | Wall | CPU (workers) | Participants / s | CPU per participant |
| --- | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}
"""
    write_section("design-trackers", body)
    print(body)


def _tracker_row(label: str, wall: float, cpu: float, workers: int) -> str:
    n = TRACKER_PARTICIPANTS
    return f"| {label} | {wall:.1f} s | {cpu:.1f} s | {n / wall:.0f} | {1000 * cpu / n:.1f} ms |"


if __name__ == "__main__":
    import sys

    if "--agreement" in sys.argv:
        print(agreement())
    elif "--trackers" in sys.argv:
        trackers()
    else:
        main()
