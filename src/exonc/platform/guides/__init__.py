"""The Physical Activity Resource Hub on the platform: the clinical review gate, the public
guide pages, the patient's "Your guides" and a centre's own photos and videos."""
