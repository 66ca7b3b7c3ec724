"""The anatomical vocabulary shared by lesions, exercises and the safety rules.

Lesion sites, body regions and the joint movements an exercise loads are closed
vocabularies (:class:`enum.StrEnum`), so that a typo in a programme file, a lesion record or
the rule table is refused when it is read, never silently ignored. Which site belongs to
which region, and which regions a movement loads, is data: see the reviewed rule table
``exonc/exercise/data/safety_rules.toml``.
"""

from __future__ import annotations

import enum

from exonc._i18n import N_

__all__ = ["Laterality", "LesionType", "Movement", "Region", "Sex", "Site"]


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Site(enum.StrEnum):
    """Where a bone lesion sits (the granularity of the site-specific rules)."""

    SKULL = "skull"
    CERVICAL_SPINE = "cervical_spine"
    THORACIC_SPINE = "thoracic_spine"
    LUMBAR_SPINE = "lumbar_spine"
    SACRUM = "sacrum"
    RIBS = "ribs"
    STERNUM = "sternum"
    SCAPULA = "scapula"
    CLAVICLE = "clavicle"
    PELVIS = "pelvis"
    PROXIMAL_HUMERUS = "proximal_humerus"
    HUMERAL_SHAFT = "humeral_shaft"
    DISTAL_HUMERUS = "distal_humerus"
    RADIUS_ULNA = "radius_ulna"
    PROXIMAL_FEMUR = "proximal_femur"
    FEMORAL_SHAFT = "femoral_shaft"
    DISTAL_FEMUR = "distal_femur"
    TIBIA_FIBULA = "tibia_fibula"


#: Each site in a patient's words (marked for translation; the platform translates it).
SITE_NAMES: dict[Site, str] = {
    Site.SKULL: N_("skull"),
    Site.CERVICAL_SPINE: N_("neck (cervical spine)"),
    Site.THORACIC_SPINE: N_("upper back (thoracic spine)"),
    Site.LUMBAR_SPINE: N_("lower back (lumbar spine)"),
    Site.SACRUM: N_("sacrum"),
    Site.RIBS: N_("ribs"),
    Site.STERNUM: N_("breastbone"),
    Site.SCAPULA: N_("shoulder blade"),
    Site.CLAVICLE: N_("collarbone"),
    Site.PELVIS: N_("pelvis"),
    Site.PROXIMAL_HUMERUS: N_("upper arm near the shoulder"),
    Site.HUMERAL_SHAFT: N_("upper arm"),
    Site.DISTAL_HUMERUS: N_("upper arm near the elbow"),
    Site.RADIUS_ULNA: N_("forearm"),
    Site.PROXIMAL_FEMUR: N_("thigh bone near the hip"),
    Site.FEMORAL_SHAFT: N_("thigh bone"),
    Site.DISTAL_FEMUR: N_("thigh bone near the knee"),
    Site.TIBIA_FIBULA: N_("lower leg"),
}


class Region(enum.StrEnum):
    """A group of sites that a hard stop closes to loaded exercise as a whole."""

    SKULL = "skull"
    SPINE = "spine"
    THORAX = "thorax"
    SHOULDER_GIRDLE = "shoulder_girdle"
    PELVIS_HIP = "pelvis_hip"
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"


class Movement(enum.StrEnum):
    """A joint movement performed against load, or carrying body weight (weight bearing)."""

    HIP_FLEXION = "hip_flexion"
    HIP_EXTENSION = "hip_extension"
    HIP_ABDUCTION = "hip_abduction"
    HIP_ADDUCTION = "hip_adduction"
    KNEE_FLEXION = "knee_flexion"
    KNEE_EXTENSION = "knee_extension"
    ANKLE_PLANTARFLEXION = "ankle_plantarflexion"
    SHOULDER_FLEXION = "shoulder_flexion"
    SHOULDER_EXTENSION = "shoulder_extension"
    SHOULDER_ABDUCTION = "shoulder_abduction"
    SHOULDER_ADDUCTION = "shoulder_adduction"
    ELBOW_FLEXION = "elbow_flexion"
    ELBOW_EXTENSION = "elbow_extension"
    SPINAL_FLEXION = "spinal_flexion"
    SPINAL_EXTENSION = "spinal_extension"
    SPINAL_ROTATION = "spinal_rotation"
    WEIGHT_BEARING = "weight_bearing"


class Laterality(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"
    MIDLINE = "midline"


class LesionType(enum.StrEnum):
    """Radiographic appearance; scored by both Mirels and SINS."""

    LYTIC = "lytic"
    MIXED = "mixed"
    BLASTIC = "blastic"
