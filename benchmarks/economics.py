"""Bootstrap cost-utility analysis: exonc's vectorised bootstrap vs a pandas loop.

10,000 within-arm bootstrap replicates of a 357-patient, two-arm trial (178 / 179, EQ-5D
at months 0/3/6/9, three cost components), baseline-adjusted incremental QALYs refitted
per replicate, then CEAC, CEAF and EVPI over a 100-point WTP grid. The peer is the
straightforward implementation an analyst writes with pandas: ``groupby().sample`` per
replicate, ``numpy.linalg.lstsq`` for the adjusted difference, a loop over the grid.
Goal (issue 8): ≤ 2 s on 2 cores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks._report import alternate, load, machine, median, spread, write_section
from exonc.economics import PatientData, analyse_cea, wtp_grid
from exonc.economics.bootstrap import ceac, ceaf, evpi

REPLICATES = 10_000
GRID_POINTS = 100
SEED = 2025
GOAL_SECONDS = 2.0


def synthetic_trial(seed: int = SEED) -> pd.DataFrame:
    """A PREFERABLE-sized trial: utilities around 0.75, right-skewed costs."""
    rng = np.random.default_rng(seed)
    arm = np.array(["exercise"] * 178 + ["control"] * 179)
    treated = arm == "exercise"
    base = np.clip(rng.normal(0.72, 0.15, arm.size), -0.2, 1.0)
    months = [0, 3, 6, 9]
    frame = pd.DataFrame({"pid": [f"S{i:04d}" for i in range(arm.size)], "arm": arm})
    for j, m in enumerate(months):
        drift = 0.02 * j * treated - 0.01 * j
        frame[f"u_m{m}"] = np.clip(base + drift + rng.normal(0, 0.07, arm.size), -0.2, 1.0)
    frame["cost_programme"] = np.where(treated, rng.gamma(9, 1696 / 9, arm.size), 0.0)
    frame["cost_healthcare"] = rng.gamma(1.5, 6000 / 1.5, arm.size)
    frame["cost_productivity"] = rng.gamma(0.3, 3000 / 0.3, arm.size)
    return frame


def _patient_data(frame: pd.DataFrame) -> PatientData:
    utilities = frame[["u_m0", "u_m3", "u_m6", "u_m9"]].to_numpy()
    costs = frame[["cost_programme", "cost_healthcare", "cost_productivity"]].to_numpy()
    return PatientData(
        ids=tuple(frame["pid"]),
        arm=tuple(frame["arm"]),
        months=np.array([0.0, 3.0, 6.0, 9.0]),
        utilities=utilities,
        cost_names=("cost_programme", "cost_healthcare", "cost_productivity"),
        costs=costs,
        death_months=np.full(len(frame), np.nan),
    )


def run_exonc(frame: pd.DataFrame, grid: np.ndarray, replicates: int = REPLICATES) -> np.ndarray:
    result = analyse_cea(
        _patient_data(frame),
        reference="control",
        wtp=list(grid),
        bootstrap=replicates,
        rng=np.random.default_rng(SEED),
    )
    if result.bootstrap is None:
        raise RuntimeError("the bootstrap did not run")
    boot = result.bootstrap
    return np.vstack([ceac(boot, grid), ceaf(boot, grid), evpi(boot, grid)])


CHUNK = 2_500  # exonc draws replicates 2,500 at a time; the peer draws the same stream


def numpy_index_matrix(frame: pd.DataFrame, grid: np.ndarray, replicates: int) -> np.ndarray:
    """The expert numpy peer: a replicates × patients index matrix per arm (the same draws
    as exonc, so the outputs can agree exactly), the baseline-adjusted ΔQALY refitted per
    replicate in closed form (QALY ~ 1 + arm + baseline: the arm coefficient is the
    difference of means less the pooled within-arm slope times the baseline difference),
    then the CEAC, CEAF and EVPI over the grid."""
    rng = np.random.default_rng(SEED)
    u = frame[["u_m0", "u_m3", "u_m6", "u_m9"]].to_numpy()
    qaly = ((u[:, :-1] + u[:, 1:]) / 2 * 0.25).sum(axis=1)
    cost = frame[["cost_programme", "cost_healthcare", "cost_productivity"]].to_numpy().sum(axis=1)
    treated = (frame["arm"] == "exercise").to_numpy()
    arms = [(qaly[t], cost[t], u[t, 0]) for t in (treated, ~treated)]
    effect, costs = [], []
    for start in range(0, replicates, CHUNK):
        size = min(CHUNK, replicates - start)
        means, cross, spread = [], 0.0, 0.0
        for q, c, b in arms:
            index = rng.integers(0, len(q), size=(size, len(q)))
            qs, cs, bs = q[index], c[index], b[index]
            qm, bm = qs.mean(axis=1), bs.mean(axis=1)
            means.append((qm, cs.mean(axis=1), bm))
            cross = cross + ((bs - bm[:, None]) * (qs - qm[:, None])).sum(axis=1)
            spread = spread + ((bs - bm[:, None]) ** 2).sum(axis=1)
        (q1, c1, b1), (q0, c0, b0) = means
        effect.append(q1 - q0 - cross / spread * (b1 - b0))
        costs.append(c1 - c0)
    inb = np.outer(np.concatenate(effect), grid) - np.concatenate(costs)[:, None]
    ceac = (inb > 0).mean(axis=0)
    ceaf = np.where(inb.mean(axis=0) > 0, ceac, 1 - ceac)
    evpi = np.maximum(inb, 0).mean(axis=0) - np.maximum(inb.mean(axis=0), 0)
    return np.vstack([ceac, ceaf, evpi])


def run_pandas_loop(frame: pd.DataFrame, grid: np.ndarray, replicates: int) -> np.ndarray:
    """The straightforward implementation: resample with pandas, refit, loop over k."""
    data = frame.copy()
    u = data[["u_m0", "u_m3", "u_m6", "u_m9"]]
    data["qaly"] = (
        (u["u_m0"] + u["u_m3"]) / 2 * 0.25
        + (u["u_m3"] + u["u_m6"]) / 2 * 0.25
        + (u["u_m6"] + u["u_m9"]) / 2 * 0.25
    )
    data["cost"] = data[["cost_programme", "cost_healthcare", "cost_productivity"]].sum(axis=1)
    data["treated"] = (data["arm"] == "exercise").astype(float)
    delta_e, delta_c = [], []
    for b in range(replicates):
        sample = data.groupby("arm").sample(frac=1.0, replace=True, random_state=b)
        design = np.column_stack([np.ones(len(sample)), sample["treated"], sample["u_m0"]])
        delta_e.append(np.linalg.lstsq(design, sample["qaly"].to_numpy(), rcond=None)[0][1])
        means = sample.groupby("arm")["cost"].mean()
        delta_c.append(means["exercise"] - means["control"])
    ceac, evpi = [], []
    for k in grid:
        inb = [k * e - c for e, c in zip(delta_e, delta_c, strict=True)]
        ceac.append(sum(v > 0 for v in inb) / len(inb))
        evpi.append(np.mean(np.maximum(inb, 0)) - max(np.mean(inb), 0))
    return np.array(ceac)


def main() -> None:
    frame = synthetic_trial()
    grid = wtp_grid(99_000, GRID_POINTS)
    started_at = load()
    gap = float(
        np.max(np.abs(run_exonc(frame, grid) - numpy_index_matrix(frame, grid, REPLICATES)))
    )
    rows, growth = [], []
    for factor in (1, 2, 4):
        b = REPLICATES * factor
        found = alternate(
            {
                "exonc": lambda b=b: run_exonc(frame, grid, b),
                "numpy": lambda b=b: numpy_index_matrix(frame, grid, b),
            },
            repeat=7,
        )
        growth.append((b, median(found["exonc"]), median(found["numpy"])))
        if factor == 1:
            rows = [
                (f"exonc `analyse_cea(bootstrap={b:,})` + CEAC, CEAF, EVPI", found["exonc"]),
                ("numpy index matrix, closed-form adjusted ΔQALY (same draws)", found["numpy"]),
            ]
    loop = alternate({"pandas": lambda: run_pandas_loop(frame, grid, REPLICATES)}, repeat=1)
    rows.append(("pandas `groupby().sample` + `lstsq` loop (1 run)", loop["pandas"]))
    table = "\n".join(
        f"| {label} | {spread([1000 * t.seconds for t in runs], 'ms', 1)} | "
        f"{spread([1000 * t.cpu for t in runs], 'ms', 1)} | {max(t.peak_mib for t in runs):.0f} |"
        for label, runs in rows
    )
    curve = "\n".join(
        f"| {b:,} | {1000 * ours:.1f} | {1000 * peer:.1f} | {peer / ours:.2f}× |"
        for b, ours, peer in growth
    )
    ours, peer = median(rows[0][1]), median(rows[1][1])
    met = "yes" if ours <= GOAL_SECONDS else "no"
    body = f"""## Economics: bootstrap cost-utility analysis

{machine()}; {started_at} when the run started

Command: `python -m benchmarks economics`. A synthetic 357-patient trial (178 exercise /
179 control, EQ-5D at months 0/3/6/9, three cost components); {REPLICATES:,} within-arm
bootstrap replicates with the baseline-adjusted ΔQALY refitted per replicate; CEAC, CEAF
and EVPI over a {GRID_POINTS}-point WTP grid (0–99,000). exonc and the numpy peer take
turns, 7 each; median (min–max). Peak memory: the largest traced allocation
(tracemalloc, numpy buffers included).

| Implementation | Wall time | CPU time | Peak MiB |
| --- | ---: | ---: | ---: |
{table}

The numpy peer draws the same random stream as exonc, so the two must agree: largest
difference in CEAC, CEAF and EVPI {gap:.1e}. exonc / numpy peer: {ours / peer:.2f}×
(below 1: exonc faster); goal ≤ {GOAL_SECONDS:g} s: **{met}**. Growth with the replicates
(median ms):

| Replicates | exonc | numpy peer | peer / exonc |
| ---: | ---: | ---: | ---: |
{curve}

Why exonc is not 2× ahead of the numpy peer: both spend most of their time on work they
share — drawing the same 3.6 million random indices per 10,000 replicates and the
replicates × WTP net-benefit matrix behind the curves. exonc's kernel sums five
per-patient terms through the index matrix (gathers, no BLAS call: a threaded matrix
product was 3–4× slower on this busy machine) and solves the 3 × 3 normal equations per
replicate; the peer's closed form is as cheap. What exonc adds — the checks of the
patient data, pooling over imputations, the point estimate and its standard error — costs
little at this size.
"""
    write_section("economics", body)
    print(body)


if __name__ == "__main__":
    main()
