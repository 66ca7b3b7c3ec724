"""Original drawings of the guides, made by code from joint angles.

Each exercise guide gives a start and an end :class:`~exonc.guides.model.Pose` (side view,
joint angles in degrees) and the props around the figure. :func:`draw` turns them into one
SVG: two panels, "start" and "finish", the finish panel with the start pose faintly behind
it so the movement shows. Every figure has the same proportions, line weights and colours,
so the three levels of an exercise look like one family and a new guide needs nothing but
numbers. Nothing is copied from anywhere.

Geometry: a direction is an angle θ from straight down, positive towards the front (the
figure faces right): ``(sin θ, cos θ)`` in SVG coordinates (y grows downwards). From the
hip, the trunk points at ``180 − trunk``, the thigh at ``hip − trunk``, the shank at
``thigh − knee``, the foot at ``shank + 90 − ankle``, the upper arm at ``shoulder − trunk``
and the forearm at ``upper arm + elbow``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from exonc.guides.model import Illustration, Pose, Support

__all__ = ["PROPS", "draw"]

Point = tuple[float, float]

#: Body proportions as fractions of standing height.
TRUNK, NECK, HEAD = 0.30, 0.105, 0.062
UPPER_ARM, FOREARM = 0.17, 0.16
THIGH, SHANK, FOOT, SOLE = 0.245, 0.245, 0.11, 0.035
SCALE = 210.0  # pixels per standing height
TOLERANCE = 0.01  # a foot this far below the floor still counts as on it
PANEL_W, PANEL_H, FLOOR = 240.0, 270.0, 240.0
NEAR, FAR, PROP, GROUND = "#1d3557", "#8d99ae", "#9aa6b2", "#c9d1d9"


def _dir(theta: float) -> Point:
    radians = math.radians(theta)
    return math.sin(radians), math.cos(radians)


def _along(start: Point, theta: float, length: float) -> Point:
    dx, dy = _dir(theta)
    return start[0] + dx * length, start[1] + dy * length


@dataclass(frozen=True)
class Figure:
    """The joints of one pose, in body units (standing height 1), hip at the origin."""

    points: Mapping[str, Point]

    def __getitem__(self, name: str) -> Point:
        return self.points[name]

    def moved(self, dx: float, dy: float) -> Figure:
        return Figure({k: (x + dx, y + dy) for k, (x, y) in self.points.items()})

    def lowest_foot(self) -> float:
        return max(self[k][1] for k in ("heel", "toe", "far_heel", "far_toe"))

    def box(self) -> tuple[float, float, float, float]:
        xs = [x for x, _ in self.points.values()]
        ys = [y for _, y in self.points.values()]
        return min(xs) - HEAD, min(ys) - HEAD, max(xs) + HEAD, max(ys)


def figure(pose: Pose) -> Figure:
    """Forward kinematics of *pose* (see the module docstring for the angles)."""
    hip = (0.0, 0.0)
    up = 180.0 - pose.trunk
    shoulder = _along(hip, up, TRUNK)
    points = {"hip": hip, "shoulder": shoulder, "head": _along(shoulder, up, NECK)}
    for prefix, angle in (("", lambda j: float(getattr(pose, j))), ("far_", pose.far)):
        points.update(_leg(prefix, hip, pose.trunk, angle))
        points.update(_arm(prefix, shoulder, pose.trunk, angle))
    return Figure(points)


def _leg(prefix: str, hip: Point, trunk: float, angle: Callable[[str], float]) -> dict[str, Point]:
    thigh = angle("hip") - trunk
    knee = _along(hip, thigh, THIGH)
    shank = thigh - angle("knee")
    ankle = _along(knee, shank, SHANK)
    foot = shank + 90.0 - angle("ankle")
    sole = _along(ankle, shank, SOLE)
    return {
        f"{prefix}knee": knee,
        f"{prefix}ankle": ankle,
        f"{prefix}heel": _along(sole, foot, -0.03),
        f"{prefix}toe": _along(sole, foot, FOOT),
    }


def _arm(
    prefix: str, shoulder: Point, trunk: float, angle: Callable[[str], float]
) -> dict[str, Point]:
    upper = angle("shoulder") - trunk
    elbow = _along(shoulder, upper, UPPER_ARM)
    return {
        f"{prefix}elbow": elbow,
        f"{prefix}hand": _along(elbow, upper + angle("elbow"), FOREARM),
    }


# ------------------------------------------------------------------ placing the figures


def _placed(drawing: Illustration) -> tuple[Figure, Figure]:
    """Both poses in panel units: the start centred, the end sharing its anchor (the hip
    on a seat, the feet on the floor; feet stay put when she stands up from a seat)."""
    start, end = figure(drawing.start), figure(drawing.end)
    floor = FLOOR / SCALE
    if drawing.support is Support.SEAT:
        start = start.moved(0.0, floor - drawing.seat_height)
        start = _onto_floor(start, floor) if start.lowest_foot() > floor + TOLERANCE else start
    else:
        start = start.moved(0.0, floor - start.lowest_foot())
    left, _, right, _ = start.box()
    start = start.moved(PANEL_W / SCALE / 2 - (left + right) / 2, 0.0)
    return start, _follow(start, end, drawing, floor)


def _onto_floor(fig: Figure, floor: float) -> Figure:
    return fig.moved(0.0, floor - fig.lowest_foot())


def _follow(start: Figure, end: Figure, drawing: Illustration, floor: float) -> Figure:
    if drawing.support is Support.SEAT:
        seated = end.moved(start["hip"][0], start["hip"][1])
        if seated.lowest_foot() <= floor + TOLERANCE:
            return seated
    standing = _onto_floor(end, floor)
    foot = _standing_foot(standing)
    return standing.moved(start[foot][0] - standing[foot][0], 0.0)


def _standing_foot(fig: Figure) -> str:
    """The ankle of the foot she stands on (the lower one; the near one on a tie)."""
    near = max(fig["heel"][1], fig["toe"][1])
    far = max(fig["far_heel"][1], fig["far_toe"][1])
    return "far_ankle" if far > near + TOLERANCE else "ankle"


# ------------------------------------------------------------------ drawing


@dataclass(frozen=True)
class Scene:
    """Both placed poses: props that stay put (a chair, a wall, a band's anchor) are drawn
    where the start pose puts them, in both panels."""

    start: Figure
    end: Figure


def _px(point: Point) -> str:
    return f"{point[0] * SCALE:.1f},{point[1] * SCALE:.1f}"


def _line(a: Point, b: Point, colour: str, width: float, extra: str = "") -> str:
    return (
        f'<line x1="{a[0] * SCALE:.1f}" y1="{a[1] * SCALE:.1f}" x2="{b[0] * SCALE:.1f}" '
        f'y2="{b[1] * SCALE:.1f}" stroke="{colour}" stroke-width="{width}"{extra}/>'
    )


def _path(points: list[Point], colour: str, width: float) -> str:
    d = " L".join(_px(p) for p in points)
    return (
        f'<path d="M{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _circle(centre: Point, radius: float, fill: str, stroke: str = "none") -> str:
    return (
        f'<circle cx="{centre[0] * SCALE:.1f}" cy="{centre[1] * SCALE:.1f}" '
        f'r="{radius * SCALE:.1f}" fill="{fill}" stroke="{stroke}" stroke-width="3"/>'
    )


def _body(fig: Figure) -> str:
    """Far limbs first, then the near leg, the trunk, the head and the near arm (which
    passes in front of the head when it is raised)."""
    parts = []
    for prefix, colour, width in (("far_", FAR, 9.0), ("", NEAR, 10.0)):
        leg = [fig["hip"], fig[f"{prefix}knee"], fig[f"{prefix}ankle"]]
        foot = [fig[f"{prefix}ankle"], fig[f"{prefix}heel"], fig[f"{prefix}toe"]]
        parts += [_path(leg, colour, width), _path(foot, colour, width * 0.7)]
        if prefix:
            parts.append(_path(_limb(fig, prefix), colour, width * 0.85))
    parts.append(_path([fig["hip"], fig["shoulder"]], NEAR, 13.0))
    parts.append(_circle(fig["head"], HEAD, "#ffffff", NEAR))
    parts.append(_path(_limb(fig, ""), NEAR, 8.5))
    return "".join(parts)


def _limb(fig: Figure, prefix: str) -> list[Point]:
    return [fig["shoulder"], fig[f"{prefix}elbow"], fig[f"{prefix}hand"]]


def _chair(scene: Scene, _fig: Figure) -> str:
    start = scene.start
    hx, hy = start["hip"]
    seat = hy + 0.04
    back = hx - 0.09
    return "".join(
        [
            _line((back, seat), (hx + 0.12, seat), PROP, 6),
            _line((back, seat), (back, seat - 0.28), PROP, 6),
            _line((back + 0.01, seat), (back + 0.01, FLOOR / SCALE), PROP, 4),
            _line((hx + 0.11, seat), (hx + 0.11, FLOOR / SCALE), PROP, 4),
        ]
    )


def _stool(scene: Scene, _fig: Figure) -> str:
    start = scene.start
    hx, hy = start["hip"]
    seat = hy + 0.04
    return _line((hx - 0.1, seat), (hx + 0.1, seat), PROP, 6) + _line(
        (hx, seat), (hx, FLOOR / SCALE), PROP, 5
    )


def _backrest(scene: Scene, _fig: Figure) -> str:
    start = scene.start
    hip, shoulder = start["hip"], start["shoulder"]
    ux, uy = shoulder[0] - hip[0], shoulder[1] - hip[1]
    norm = math.hypot(ux, uy) or 1.0
    nx, ny = -uy / norm * 0.05, ux / norm * 0.05  # behind the back
    a = (hip[0] - nx + 0.0, hip[1] - ny + 0.04)
    b = (shoulder[0] - nx + ux * 0.25, shoulder[1] - ny + uy * 0.25)
    return _line(a, b, PROP, 7) + _line(a, (a[0] + 0.16, a[1]), PROP, 7)


def _footplate(_scene: Scene, fig: Figure) -> str:
    heel, toe = fig["heel"], fig["toe"]
    dx, dy = toe[0] - heel[0], toe[1] - heel[1]
    mid = ((heel[0] + toe[0]) / 2 + 0.012, (heel[1] + toe[1]) / 2)
    a, b = (mid[0] - dx * 0.9, mid[1] - dy * 0.9), (mid[0] + dx * 0.9, mid[1] + dy * 0.9)
    return _line(a, b, PROP, 8, ' stroke-linecap="round"')


def _shin_pad(_scene: Scene, fig: Figure) -> str:
    knee, ankle = fig["knee"], fig["ankle"]
    at = (knee[0] + (ankle[0] - knee[0]) * 0.85, knee[1] + (ankle[1] - knee[1]) * 0.85)
    shank = math.degrees(math.atan2(ankle[0] - knee[0], ankle[1] - knee[1]))
    return _circle(_along(at, shank + 90, 0.035), 0.028, PROP)


def _heel_pad(_scene: Scene, fig: Figure) -> str:
    knee, ankle = fig["knee"], fig["ankle"]
    at = (knee[0] + (ankle[0] - knee[0]) * 0.85, knee[1] + (ankle[1] - knee[1]) * 0.85)
    shank = math.degrees(math.atan2(ankle[0] - knee[0], ankle[1] - knee[1]))
    return _circle(_along(at, shank - 90, 0.035), 0.028, PROP)


def _thigh_pad(_scene: Scene, fig: Figure) -> str:
    hip, knee = fig["hip"], fig["knee"]
    at = (hip[0] + (knee[0] - hip[0]) * 0.8, hip[1] + (knee[1] - hip[1]) * 0.8 - 0.05)
    return _line((at[0] - 0.05, at[1]), (at[0] + 0.05, at[1]), PROP, 9)


def _handles(_scene: Scene, fig: Figure) -> str:
    return _circle(fig["hand"], 0.022, PROP)


def _lever(scene: Scene, fig: Figure) -> str:
    start = scene.start
    pivot = (start["hand"][0] - 0.04, start["hand"][1] - 0.33)
    return _line(pivot, fig["hand"], PROP, 6) + _circle(fig["hand"], 0.022, PROP)


def _cable_front(scene: Scene, fig: Figure) -> str:
    start = scene.start
    pulley = (start["hand"][0] + 0.32, start["hand"][1])
    column = _line((pulley[0] + 0.03, pulley[1] - 0.3), (pulley[0] + 0.03, FLOOR / SCALE), PROP, 8)
    return column + _line(fig["hand"], pulley, PROP, 2.5) + _circle(fig["hand"], 0.022, PROP)


def _cable_above(scene: Scene, fig: Figure) -> str:
    start = scene.start
    pulley = (start["hand"][0], start["hand"][1] - 0.1)
    bar = _line(
        (fig["hand"][0] - 0.07, fig["hand"][1]), (fig["hand"][0] + 0.07, fig["hand"][1]), PROP, 6
    )
    return _line(pulley, fig["hand"], PROP, 2.5) + bar + _circle(pulley, 0.02, PROP)


def _cable_high(scene: Scene, fig: Figure) -> str:
    start = scene.start
    pulley = (start["hand"][0] + 0.1, start["shoulder"][1] - 0.28)
    handle = _line(
        (fig["hand"][0] - 0.04, fig["hand"][1]), (fig["hand"][0] + 0.04, fig["hand"][1]), PROP, 6
    )
    column = _line((pulley[0] + 0.05, pulley[1]), (pulley[0] + 0.05, FLOOR / SCALE), PROP, 8)
    return column + _line(pulley, fig["hand"], PROP, 2.5) + handle + _circle(pulley, 0.02, PROP)


def _dumbbell(_scene: Scene, fig: Figure) -> str:
    x, y = fig["hand"]
    return _line((x - 0.035, y), (x + 0.035, y), NEAR, 5) + "".join(
        _line((x + dx, y - 0.022), (x + dx, y + 0.022), NEAR, 5) for dx in (-0.035, 0.035)
    )


def _ankle_weight(_scene: Scene, fig: Figure) -> str:
    return _circle(fig["ankle"], 0.026, PROP)


def _band(anchor: Point, fig: Figure) -> str:
    return (
        _line(anchor, fig["hand"], "#e07a5f", 3.5)
        + _circle(anchor, 0.015, PROP)
        + _line((anchor[0] + 0.02, anchor[1] - 0.35), (anchor[0] + 0.02, FLOOR / SCALE), GROUND, 4)
    )


def _band_front(scene: Scene, fig: Figure) -> str:
    start = scene.start
    return _band((start["hand"][0] + 0.3, start["hand"][1]), fig)


def _band_above(scene: Scene, fig: Figure) -> str:
    start = scene.start
    return _band((start["hand"][0] + 0.16, start["hand"][1] - 0.06), fig)


def _band_high(scene: Scene, fig: Figure) -> str:
    start = scene.start
    return _band((start["hand"][0] + 0.22, start["shoulder"][1] - 0.3), fig)


def _wall(scene: Scene, _fig: Figure) -> str:
    start = scene.start
    x = start["hand"][0] + 0.015
    return _line((x, 0.05), (x, FLOOR / SCALE), PROP, 8)


def _counter(scene: Scene, _fig: Figure) -> str:
    start = scene.start
    x, y = start["hand"]
    top = y + 0.015
    return _line((x - 0.06, top), (x + 0.22, top), PROP, 7) + _line(
        (x + 0.2, top), (x + 0.2, FLOOR / SCALE), PROP, 5
    )


def _bike(scene: Scene, fig: Figure) -> str:
    start, end = scene.start, scene.end
    hip, hand = start["hip"], start["hand"]
    crank = ((start["ankle"][0] + end["ankle"][0]) / 2, (start["ankle"][1] + end["ankle"][1]) / 2)
    radius = math.dist(start["ankle"], end["ankle"]) / 2
    floor = FLOOR / SCALE
    saddle = (hip[0], hip[1] + 0.04)
    return "".join(
        [
            _line((saddle[0] - 0.06, saddle[1]), (saddle[0] + 0.06, saddle[1]), PROP, 7),
            _line(saddle, crank, PROP, 6),
            _line(crank, (hand[0] + 0.02, hand[1] + 0.02), PROP, 6),
            _line((crank[0] - 0.15, floor), (crank[0] + 0.3, floor), PROP, 8),
            _line(crank, (crank[0], floor), PROP, 6),
            _circle(crank, max(radius, 0.02), "none", PROP),
            _circle(fig["ankle"], 0.016, PROP),
        ]
    )


Prop = Callable[[Scene, Figure], str]

#: Everything exonc can draw around a figure; guides name these in ``props``.
PROPS: Mapping[str, Prop] = {
    "chair": _chair,
    "stool": _stool,
    "backrest": _backrest,
    "footplate": _footplate,
    "shin_pad": _shin_pad,
    "heel_pad": _heel_pad,
    "thigh_pad": _thigh_pad,
    "handles": _handles,
    "lever": _lever,
    "cable_front": _cable_front,
    "cable_above": _cable_above,
    "cable_high": _cable_high,
    "dumbbell": _dumbbell,
    "ankle_weight": _ankle_weight,
    "band_front": _band_front,
    "band_above": _band_above,
    "band_high": _band_high,
    "wall": _wall,
    "counter": _counter,
    "bike": _bike,
}


def _panel(drawing: Illustration, scene: Scene, fig: Figure, x: float, label: str) -> str:
    ghost = "" if fig is scene.start else f'<g opacity="0.16">{_body(scene.start)}</g>'
    props = "".join(PROPS[name](scene, fig) for name in drawing.props)
    return (
        f'<g transform="translate({x:.0f},0)">'
        f'<line x1="8" y1="{FLOOR + 1:.0f}" x2="{PANEL_W - 8:.0f}" y2="{FLOOR + 1:.0f}" '
        f'stroke="{GROUND}" stroke-width="4"/>'
        f'<g stroke-linecap="round">{props}{ghost}{_body(fig)}</g>'
        f'<text x="{PANEL_W / 2:.0f}" y="{PANEL_H - 6:.0f}" text-anchor="middle" '
        f'font-family="sans-serif" font-size="15" fill="{NEAR}">{escape(label)}</text></g>'
    )


def draw(drawing: Illustration, *, start_label: str, end_label: str, ident: str = "") -> str:
    """The SVG of *drawing*: start and finish panels with an arrow between them; its title
    (and accessible name) is the drawing's alt text."""
    scene = Scene(*_placed(drawing))
    gap = 36.0
    width = PANEL_W * 2 + gap
    arrow_y = FLOOR / 2
    title_id = f"title-{ident}" if ident else "title"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {PANEL_H:.0f}" '
        f'role="img" aria-labelledby="{title_id}" class="guide-drawing">'
        f'<title id="{title_id}">{escape(drawing.alt)}</title>'
        f'<rect width="{width:.0f}" height="{PANEL_H:.0f}" fill="#ffffff"/>'
        + _panel(drawing, scene, scene.start, 0.0, start_label)
        + f'<path d="M{PANEL_W + 6:.0f},{arrow_y:.0f} h{gap - 14:.0f} m-8,-8 l8,8 l-8,8" '
        f'fill="none" stroke="{FAR}" stroke-width="4" stroke-linecap="round"/>'
        + _panel(drawing, scene, scene.end, PANEL_W + gap, end_label)
        + "</svg>"
    )
