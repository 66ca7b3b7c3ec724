"""Every figure of exonc, drawn with matplotlib in one style (decision 0010).

Each function takes plain tables (``pandas`` frames or the report's dataclasses) and
returns a :class:`Figure` holding SVG text, so that a report embeds it in HTML, prints it
to PDF and writes it to ``figures/`` without drawing twice. Matplotlib is used through its
object-oriented API with the Agg/SVG backends only (no ``pyplot``, no global state, safe in
a web worker). Text is turned into paths, so the SVGs look the same everywhere.
"""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, cast

import numpy as np
import pandas as pd

from exonc.reports._text import _

__all__ = [
    "ARM_COLOURS",
    "STYLE",
    "Figure",
    "activity_figure",
    "adherence_figure",
    "ce_plane_figure",
    "ceac_figure",
    "change_figure",
    "consort_figure",
    "evpi_figure",
    "forest_figure",
    "power_curve_figure",
    "recruitment_figure",
]

P = ParamSpec("P")

#: The one style of exonc's figures.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "lines.linewidth": 1.6,
    "svg.fonttype": "path",
    "svg.hashsalt": "exonc",  # the same figure gives the same bytes
}
#: One colour per arm (the intervention first), and for anything else.
ARM_COLOURS = ("#1b6ca8", "#d1495b", "#66a182", "#edae49")
INK = "#333333"
WIDTH = 6.3  # inches: an A4 page's text width
PNG_DPI = 150
PLANE_POINTS = 1_000  # replicates drawn on a CE plane


@dataclass(frozen=True)
class Figure:
    """One drawn figure: its file name (without suffix), caption, SVG text and PNG bytes
    (the PDF prints the PNG: WeasyPrint draws large SVGs slowly)."""

    name: str
    caption: str
    svg: str
    png: bytes

    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"

    def png_uri(self) -> str:
        return f"data:image/png;base64,{base64.b64encode(self.png).decode('ascii')}"


def _new(width: float, height: float, panels: tuple[int, int] = (1, 1)) -> tuple[Any, Any]:
    from matplotlib import rc_context
    from matplotlib.figure import Figure as MplFigure

    with rc_context(cast(Any, STYLE)):
        figure = MplFigure(figsize=(width, height))
        axes = figure.subplots(*panels, squeeze=False)
    return figure, axes


def _finish(figure: Any, name: str, caption: str) -> Figure:
    from matplotlib import rc_context

    buffer, image = io.StringIO(), io.BytesIO()
    with rc_context(cast(Any, STYLE)):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        figure.savefig(
            image, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None}
        )
    return Figure(name, caption, buffer.getvalue(), image.getvalue())


def _colours(arms: Sequence[str]) -> dict[str, str]:
    return {arm: ARM_COLOURS[i % len(ARM_COLOURS)] for i, arm in enumerate(arms)}


def _styled(function: Callable[P, Figure]) -> Callable[P, Figure]:
    """Run a drawing function inside the style (matplotlib reads rcParams when drawing)."""

    @functools.wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Figure:
        from matplotlib import rc_context

        with rc_context(cast(Any, STYLE)):
            result: Figure = function(*args, **kwargs)
        return result

    return wrapped


# ---------------------------------------------------------------- CONSORT

_LINE = 0.135  # inches per line of 7-point text
_BOX = {"boxstyle": "square,pad=0.45", "fc": "white", "ec": INK, "lw": 0.8}


def _counts(found: Mapping[str, int]) -> list[str]:
    """One line per reason (wrapped to the box), indented under its heading."""
    return [
        line
        for reason, n in found.items()
        for line in textwrap.wrap(
            f"{reason} ({n})", 42, initial_indent="  ", subsequent_indent="    "
        )
    ]


def _visit_lines(row: Mapping[str, Any]) -> list[str]:
    lines = [f"{row['visit']}: " + _("completed") + f" {row['completed']} / {row['expected']}"]
    if row["missed"]:
        lines.append(_("visit missed") + f" ({row['missed']})")
    if row["lost"]:
        lines.append(_("left follow-up") + f" ({sum(row['lost'].values())}):")
        lines += _counts(row["lost"])
    if row["discontinued"]:
        lines.append(_("stopped the programme") + f" ({sum(row['discontinued'].values())}):")
        lines += _counts(row["discontinued"])
    return lines


@_styled
def consort_figure(flow: Mapping[str, Any]) -> Figure:
    """The CONSORT flow diagram of ``Consort.to_dict()`` (two arms side by side)."""
    arms = list(flow["allocated"])
    visits = list(dict.fromkeys(v["visit"] for v in flow["follow_up"]))
    assessed = flow["assessed"]
    excluded = [_("Excluded") + f" ({flow['excluded_total']})", *_counts(flow["excluded"])]
    centre: list[list[list[str]]] = [
        [[_("Assessed for eligibility") + f" (n={assessed if assessed is not None else '–'})"]],
        [[_("Randomised") + f" (n={flow['randomised']})"]],
        [[_("Allocated to") + f" {arm} (n={flow['allocated'][arm]})"] for arm in arms],
    ]
    for visit in visits:
        centre.append(
            [
                _visit_lines(
                    next(v for v in flow["follow_up"] if v["visit"] == visit and v["arm"] == arm)
                )
                for arm in arms
            ]
        )
    centre.append([[_("Analysed") + f" (n={flow['analysed'].get(arm, 0)})"] for arm in arms])
    heights = [1.25 * max(len(box) for box in row) for row in centre]
    gaps = [2.2] * len(centre)
    gaps[0] = max(2.2, 1.25 * len(excluded) + 1.5) if flow["excluded"] else 2.2
    total = sum(heights) + sum(gaps[:-1])
    figure, axes = _new(WIDTH, total * _LINE + 0.2)
    ax = axes[0][0]
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(-total - 0.3, 0.3)
    y = 0.0
    previous: list[tuple[float, float]] = []
    for index, (row, height) in enumerate(zip(centre, heights, strict=True)):
        xs = [0.5] if len(row) == 1 else [0.25 + 0.5 * i / (len(row) - 1) for i in range(len(row))]
        for x, box in zip(xs, row, strict=True):
            ax.text(
                x,
                y,
                "\n".join(box),
                ha="center",
                va="top",
                fontsize=7,
                color=INK,
                multialignment="left",
                linespacing=1.25,
                bbox=_BOX,
                family="DejaVu Sans",
            )
            for px, py in previous:
                if len(previous) == len(xs) and px != x:
                    continue
                ax.annotate(
                    "",
                    xy=(x, y + 0.45),
                    xytext=(px, py - 0.45),
                    arrowprops={"arrowstyle": "->", "color": INK, "lw": 0.8},
                )
        if index == 0 and flow["excluded"]:
            side = y - height - gaps[0] / 2
            ax.text(
                0.98,
                side,
                "\n".join(excluded),
                ha="right",
                va="center",
                multialignment="left",
                fontsize=7,
                color=INK,
                linespacing=1.25,
                bbox=_BOX,
            )
            ax.plot([0.5, 0.6], [side, side], color=INK, lw=0.8)
        previous = [(x, y - height) for x in xs]
        y -= height + gaps[index]
    return _finish(figure, "consort", _("CONSORT flow diagram"))


# ---------------------------------------------------------------- outcomes


@_styled
def change_figure(
    observed: pd.DataFrame,
    outcomes: Sequence[tuple[str, str]],
    visits: Sequence[str],
    arms: Sequence[str],
) -> Figure:
    """Mean change from baseline (95 % CI) per arm over the visits, one panel per outcome
    (*outcomes*: name and label)."""
    colours = _colours(arms)
    columns = min(2, len(outcomes))
    rows = int(np.ceil(len(outcomes) / columns))
    figure, axes = _new(WIDTH, 2.3 * rows, (rows, columns))
    for index, (name, label) in enumerate(outcomes):
        ax = axes[index // columns][index % columns]
        ax.axhline(0, color="#999999", lw=0.8)
        for offset, arm in enumerate(arms):
            part = observed[(observed["outcome"] == name) & (observed["arm"] == arm)]
            part = part.set_index("visit").reindex(["baseline", *visits])
            part.loc["baseline", ["mean", "ci_lower", "ci_upper"]] = 0.0
            x = np.arange(len(part)) + (offset - (len(arms) - 1) / 2) * 0.08
            ax.errorbar(
                x,
                part["mean"],
                yerr=[part["mean"] - part["ci_lower"], part["ci_upper"] - part["mean"]],
                color=colours[arm],
                marker="o",
                ms=3.5,
                capsize=2.5,
                label=arm,
            )
        ax.set_xticks(range(len(visits) + 1), ["baseline", *visits])
        ax.set_title(textwrap.fill(label, 44), loc="left", fontsize=7.5)
        ax.set_ylabel(_("change from baseline"))
    for index in range(len(outcomes), rows * columns):
        axes[index // columns][index % columns].set_axis_off()
    axes[0][0].legend(loc="best")
    figure.tight_layout()
    return _finish(figure, "change", _("Mean change from baseline per arm (observed, 95 % CI)"))


@_styled
def forest_figure(subgroups: pd.DataFrame, labels: Mapping[str, str], visit: str) -> Figure:
    """Treatment effect (95 % CI) per modifier level at *visit*, with the interaction p,
    one panel per outcome (*labels*: outcome name to label)."""
    outcomes = [o for o in labels if o in set(subgroups.get("outcome", []))]
    at_visit = subgroups[subgroups["visit"] == visit]
    lines = len(at_visit) / max(1, len(outcomes)) + at_visit["modifier"].nunique()
    figure, axes = _new(WIDTH, len(outcomes) * (0.6 + 0.17 * lines), (max(1, len(outcomes)), 1))
    for index, outcome in enumerate(outcomes):
        ax = axes[index][0]
        part = subgroups[(subgroups["outcome"] == outcome) & (subgroups["visit"] == visit)]
        ticks, names, y = [], [], 0.0
        for modifier, group in part.groupby("modifier", sort=False):
            p = group["p_interaction"].iloc[0]
            names.append(f"{modifier} (p={p:.3f})")
            ticks.append(y)
            y -= 1
            for row in group.to_dict("records"):
                estimate, low, high = (float(row[k]) for k in ("estimate", "ci_lower", "ci_upper"))
                ax.errorbar(
                    estimate,
                    y,
                    xerr=[[estimate - low], [high - estimate]],
                    color=ARM_COLOURS[0],
                    marker="s",
                    ms=3.5,
                    capsize=2,
                )
                names.append(f"   {row['level']} (n={row['n_subjects']})")
                ticks.append(y)
                y -= 1
            y -= 0.4
        ax.axvline(0, color="#999999", lw=0.8)
        ax.set_yticks(ticks, names, fontsize=7)
        ax.grid(axis="y", visible=False)
        ax.set_title(labels[outcome], loc="left", fontsize=8)
        ax.set_xlabel(_("difference (95 % CI)"))
    figure.tight_layout()
    return _finish(
        figure, "forest", _("Effect modification at the primary visit (interaction p in brackets)")
    )


# ---------------------------------------------------------------- delivery and activity


@_styled
def adherence_figure(adherence: pd.DataFrame) -> Figure:
    """Share of scheduled sessions attended per programme week, per kind of session."""
    figure, axes = _new(WIDTH, 2.4)
    ax = axes[0][0]
    for index, (kind, group) in enumerate(adherence.groupby("kind", sort=True)):
        ax.plot(group["week"], group["percent"], color=ARM_COLOURS[index], label=kind)
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("programme week"))
    ax.set_ylabel(_("sessions attended (%)"))
    ax.legend(loc="lower left")
    return _finish(figure, "adherence", _("Adherence to the programme over time (exercise arm)"))


@_styled
def activity_figure(activity: pd.DataFrame, arms: Sequence[str], goal: float) -> Figure:
    """Mean daily active minutes (95 % CI) per arm and visit window, with the goal."""
    colours = _colours(arms)
    figure, axes = _new(WIDTH, 2.4)
    ax = axes[0][0]
    visits = list(dict.fromkeys(activity["visit"]))
    for offset, arm in enumerate(arms):
        part = activity[activity["arm"] == arm].set_index("visit").reindex(visits)
        x = np.arange(len(visits)) + (offset - (len(arms) - 1) / 2) * 0.2
        ax.bar(x, part["mean"], width=0.2, color=colours[arm], label=arm)
        ax.errorbar(
            x,
            part["mean"],
            yerr=[part["mean"] - part["ci_lower"], part["ci_upper"] - part["mean"]],
            fmt="none",
            ecolor=INK,
            capsize=2,
            lw=0.8,
        )
    ax.axhline(goal, color=INK, ls="--", lw=0.9, label=_("goal") + f" ({goal:g} min)")
    ax.set_xticks(range(len(visits)), visits)
    ax.set_ylabel(_("active minutes a day"))
    ax.set_ylim(0, 1.35 * max(float(activity["ci_upper"].max()), goal))
    ax.legend(loc="upper center", ncols=3)
    return _finish(figure, "activity", _("Active minutes per day in each visit window (95 % CI)"))


# ---------------------------------------------------------------- economics


@_styled
def ce_plane_figure(
    plane: pd.DataFrame, wtp: Sequence[float], point: tuple[float, float], currency: str = ""
) -> Figure:
    """Bootstrap replicates of the incremental QALYs and costs (the first
    :data:`PLANE_POINTS`), the point estimate and the WTP lines."""
    figure, axes = _new(WIDTH / 2, 2.6)
    ax = axes[0][0]
    shown = plane.iloc[:PLANE_POINTS]
    ax.scatter(
        shown["delta_qaly"],
        shown["delta_cost"],
        s=2,
        alpha=0.35,
        color=ARM_COLOURS[0],
        linewidths=0,
        rasterized=False,
    )
    ax.scatter([point[0]], [point[1]], s=18, color=ARM_COLOURS[1], zorder=3)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.axvline(0, color="#999999", lw=0.8)
    left, right = ax.get_xlim()
    for k in wtp:
        ax.plot([left, right], [k * left, k * right], color=INK, lw=0.6, ls=":")
    ax.set_xlim(left, right)
    ax.set_xlabel(_("incremental QALYs"))
    ax.set_ylabel(_("incremental cost") + (f" ({currency})" if currency else ""))
    return _finish(figure, "ce_plane", _("Cost-effectiveness plane (bootstrap replicates)"))


@_styled
def ceac_figure(ceac: pd.DataFrame, wtp: Sequence[float], currency: str = "") -> Figure:
    """Probability that the intervention is cost-effective over willingness to pay."""
    figure, axes = _new(WIDTH / 2, 2.6)
    ax = axes[0][0]
    ax.plot(ceac["wtp"] / 1000, ceac["probability"], color=ARM_COLOURS[0])
    for k in wtp:
        ax.axvline(k / 1000, color=INK, lw=0.6, ls=":")
    ax.set_ylim(0, 1)
    unit = f" ({currency})" if currency else ""
    ax.set_xlabel(_("willingness to pay per QALY (thousands)") + unit)
    ax.set_ylabel(_("probability cost-effective"))
    return _finish(figure, "ceac", _("Cost-effectiveness acceptability curve"))


@_styled
def evpi_figure(evpi: pd.DataFrame) -> Figure:
    """Expected value of perfect information per patient over willingness to pay."""
    figure, axes = _new(WIDTH / 2, 2.6)
    ax = axes[0][0]
    ax.plot(evpi["wtp"] / 1000, evpi["evpi"], color=ARM_COLOURS[2])
    ax.set_xlabel(_("willingness to pay per QALY (thousands)"))
    ax.set_ylabel(_("EVPI per patient"))
    return _finish(figure, "evpi", _("Expected value of perfect information"))


# ---------------------------------------------------------------- monitoring


@_styled
def recruitment_figure(recruitment: pd.DataFrame) -> Figure:
    """Participants randomised (cumulative) per month against the target."""
    figure, axes = _new(WIDTH, 2.4)
    ax = axes[0][0]
    x = np.arange(len(recruitment))
    ax.step(x, recruitment["randomised"], where="post", color=ARM_COLOURS[0], label=_("randomised"))
    ax.plot(x, recruitment["target"], color=INK, ls="--", lw=0.9, label=_("target"))
    step = max(1, len(x) // 6)
    ax.set_xticks(x[::step], list(recruitment["month"])[::step], fontsize=7)
    ax.set_ylabel(_("participants (cumulative)"))
    ax.legend(loc="upper left")
    return _finish(figure, "recruitment", _("Recruitment against target"))


# ---------------------------------------------------------------- planning


@_styled
def power_curve_figure(curve: Sequence[Mapping[str, Any]], target: float = 0.8) -> Figure:
    """Simulated power (with ±2 Monte-Carlo SEs) over n per arm; *curve* rows have
    ``n_per_arm``, ``power`` and ``mc_se``."""
    figure, axes = _new(WIDTH / 1.5, 2.6)
    ax = axes[0][0]
    n = np.asarray([row["n_per_arm"] for row in curve], dtype=float)
    power = np.asarray([row["power"] for row in curve], dtype=float)
    se = np.asarray([row["mc_se"] for row in curve], dtype=float)
    ax.fill_between(n, power - 2 * se, power + 2 * se, color=ARM_COLOURS[0], alpha=0.2, lw=0)
    ax.plot(n, power, color=ARM_COLOURS[0], marker="o", ms=3)
    ax.axhline(target, color=INK, lw=0.8, ls="--")
    ax.set_ylim(0, 1)
    ax.set_xlabel(_("participants per arm"))
    ax.set_ylabel(_("power"))
    return _finish(figure, "power_curve", _("Simulated power (band: ±2 Monte-Carlo SE)"))
