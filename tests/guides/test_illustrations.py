"""Drawings made from joint angles: the geometry, the placement and the SVG.

Expected positions are worked out by hand from the proportions in
``exonc.guides.illustrations`` (fractions of standing height): trunk 0.30, upper arm 0.17,
forearm 0.16, thigh and shank 0.245 each, sole 0.035 below the ankle.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from exonc.guides import Illustration, Library, Pose, Support, draw
from exonc.guides import illustrations as il

SVG = "{http://www.w3.org/2000/svg}"


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-9 and abs(a[1] - b[1]) < 1e-9


def test_standing_upright_puts_the_joints_in_a_vertical_line() -> None:
    fig = il.figure(Pose())
    assert _close(fig["shoulder"], (0.0, -0.30))  # y grows downwards
    assert _close(fig["knee"], (0.0, 0.245))
    assert _close(fig["ankle"], (0.0, 0.49))
    assert _close(fig["hand"], (0.0, -0.30 + 0.17 + 0.16))


def test_sitting_with_arms_forward() -> None:
    fig = il.figure(Pose(hip=90, knee=90, shoulder=90))
    assert _close(fig["knee"], (0.245, 0.0))  # thigh horizontal, forwards
    assert _close(fig["ankle"], (0.245, 0.245))  # shank straight down
    assert _close(fig["hand"], (0.33, -0.30))  # arm straight forwards at shoulder height


def test_a_bent_elbow_points_the_forearm_up() -> None:
    fig = il.figure(Pose(elbow=90))
    assert _close(fig["elbow"], (0.0, -0.13))
    assert _close(fig["hand"], (0.16, -0.13))


def test_far_limbs_default_to_the_near_ones() -> None:
    pose = Pose(hip=30, knee=40, far_knee=0)
    assert (pose.far("hip"), pose.far("knee")) == (30, 0)


def test_standing_feet_rest_on_the_floor_and_stay_put_when_she_stands_up() -> None:
    floor = il.FLOOR / il.SCALE
    drawing = Illustration(
        Support.SEAT, Pose(trunk=20, hip=110, knee=90), Pose(), "sit to stand", ("chair",)
    )
    start, end = il._placed(drawing)
    assert abs(start["hip"][1] - (floor - drawing.seat_height)) < 1e-9  # sitting on the seat
    assert abs(end.lowest_foot() - floor) < 1e-9  # standing on the floor
    assert abs(end["ankle"][0] - start["ankle"][0]) < 1e-9  # feet did not move


def test_a_seated_exercise_keeps_the_hip_on_the_seat() -> None:
    drawing = Illustration(Support.SEAT, Pose(hip=90, knee=90), Pose(hip=90, knee=5), "knee")
    start, end = il._placed(drawing)
    assert _close(start["hip"], end["hip"])


def test_every_drawing_is_an_svg_named_by_its_alt_text(library: Library) -> None:
    drawn = [g for g in library.guides if g.illustration is not None]
    assert len(drawn) == sum(1 for g in library.guides if g.is_exercise)
    for guide in drawn:
        assert guide.illustration is not None
        svg = draw(guide.illustration, start_label="Start", end_label="Finish", ident=guide.slug)
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == guide.illustration.alt
        assert root.get("aria-labelledby") == title.get("id")
        labels = [t.text for t in root.iter(f"{SVG}text")]
        assert labels == ["Start", "Finish"]


def test_labels_and_alt_text_are_escaped() -> None:
    drawing = Illustration(Support.STAND, Pose(), Pose(), 'Alt with <tags> & "quotes"')
    root = ET.fromstring(draw(drawing, start_label="<b>", end_label="&"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["<b>", "&"]


@pytest.mark.parametrize("prop", sorted(il.PROPS))
def test_every_prop_draws(prop: str) -> None:
    drawing = Illustration(
        Support.SEAT, Pose(hip=90, knee=90), Pose(hip=90, knee=45, shoulder=60), "x", (prop,)
    )
    ET.fromstring(draw(drawing, start_label="a", end_label="b"))
