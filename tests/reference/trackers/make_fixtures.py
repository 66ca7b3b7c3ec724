"""Write the small tracker fixtures of ``tests/reference/trackers/`` (run once, commit output).

    .venv/bin/python tests/reference/trackers/make_fixtures.py

No real sample files of these formats may be redistributed here, so each is built to its
published format, with the format's own writer where one exists:

* Garmin FIT — written with Garmin's FIT SDK encoder (``garmin_fit_sdk.Encoder``);
* ActiGraph .gt3x — a zip of ``info.txt`` and ``log.bin`` built per ActiGraph's published
  GT3X format (github.com/actigraph/GT3X-File-Format: 8-byte record header, ACTIVITY2
  payloads of little-endian int16 x/y/z, one's-complement XOR checksum); read back by
  ``pygt3x`` in the tests;
* ActiGraph .agd — a SQLite database with ActiLife's ``settings`` and ``data`` tables;
* Apple Health — an ``export.xml`` in the Health app's export layout;
* Fitbit JSON — an account-archive ``steps-…json`` / ``heart_rate-…json`` pair and one
  Web API intraday day file.

The values are chosen so the expected daily results can be worked out by hand; the tests
state those calculations next to their expected numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
import struct
import zipfile
from pathlib import Path

from garmin_fit_sdk import FIT_EPOCH_S, Encoder, Profile

HERE = Path(__file__).resolve().parent
MESG = Profile["mesg_num"]
UTC = dt.UTC


def fitbit_json(folder: Path) -> None:
    """P01, Europe/Amsterdam (CET, +01:00 on 30 March 2024)."""
    folder.mkdir(parents=True, exist_ok=True)
    steps = []
    for minute in range(60):  # 08:00-08:59 local
        count = 110 if 10 <= minute < 40 else 140 if 40 <= minute < 45 else 0
        stamp = dt.datetime(2024, 3, 30, 8, minute)
        steps.append({"dateTime": stamp.strftime("%m/%d/%y %H:%M:%S"), "value": str(count)})
    (folder / "steps-2024-03-30.json").write_text(json.dumps(steps), encoding="utf-8")
    heart = []
    start = dt.datetime(2024, 3, 30, 7, 0)  # UTC, = 08:00 local
    for tick in range(360):  # every 10 s for an hour
        stamp = start + dt.timedelta(seconds=10 * tick)
        bpm = 400 if tick == 7 else 70 + (tick // 6) % 5
        heart.append(
            {
                "dateTime": stamp.strftime("%m/%d/%y %H:%M:%S"),
                "value": {"bpm": bpm, "confidence": 2},
            }
        )
    (folder / "heart_rate-2024-03-30.json").write_text(json.dumps(heart), encoding="utf-8")
    times = [f"{h:02d}:{m:02d}:00" for h in (1, 3) for m in range(60)]  # no 02:xx that day
    api = {
        "activities-steps": [{"dateTime": "2024-03-31", "value": "3000"}],
        "activities-steps-intraday": {
            "dataset": [{"time": t, "value": 100 if t.startswith("03:1") else 0} for t in times],
            "datasetInterval": 1,
            "datasetType": "minute",
        },
        "activities-calories": [{"dateTime": "2024-03-31", "value": "2100"}],
        "activities-calories-intraday": {
            "dataset": [
                {
                    "level": 2 if t.startswith("03:1") else 0,
                    "mets": 40 if t.startswith("03:1") else 10,
                    "time": t,
                    "value": 1.2,
                }
                for t in times
            ],
            "datasetInterval": 1,
            "datasetType": "minute",
        },
    }
    (folder / "api-2024-03-31.json").write_text(json.dumps(api), encoding="utf-8")


def garmin_fit(folder: Path) -> None:
    """P02: a monitoring file (1 June 2024) and a running activity (2 June), CEST +02:00."""
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2024, 6, 1, 6, 0, tzinfo=UTC)
    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": MESG["FILE_ID"],
            "type": "monitoring_b",
            "manufacturer": "garmin",
            "product": 1,
            "serial_number": 3_000_001,
            "time_created": start,
        }
    )
    encoder.write_mesg(
        {
            "mesg_num": MESG["MONITORING_INFO"],
            "timestamp": start,
            "local_timestamp": _fit_seconds(start) + 7200,
        }
    )
    for minute in range(30):
        moment = start + dt.timedelta(minutes=minute)
        cumulative = 100 * min(minute + 1, 20)  # 100 steps a minute for 20 minutes
        encoder.write_mesg(
            {
                "mesg_num": MESG["MONITORING"],
                "timestamp": moment,
                "activity_type": "walking",
                "cycles": cumulative / 2,
                "heart_rate": 80 + minute % 3,
            }
        )
        encoder.write_mesg(  # a heart-rate reading 30 s later, with a 16-bit timestamp only
            {
                "mesg_num": MESG["MONITORING"],
                "timestamp_16": (_fit_seconds(moment) + 30) & 0xFFFF,
                "heart_rate": 90,
            }
        )
    (folder / "monitoring.fit").write_bytes(encoder.close())
    run = dt.datetime(2024, 6, 2, 7, 0, tzinfo=UTC)
    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": MESG["FILE_ID"],
            "type": "activity",
            "manufacturer": "garmin",
            "product": 1,
            "serial_number": 3_000_001,
            "time_created": run,
        }
    )
    for second in range(600):  # ten minutes at 85 strides (170 steps) a minute
        encoder.write_mesg(
            {
                "mesg_num": MESG["RECORD"],
                "timestamp": run + dt.timedelta(seconds=second),
                "heart_rate": 150,
                "cadence": 85,
            }
        )
    encoder.write_mesg(
        {
            "mesg_num": MESG["SESSION"],
            "timestamp": run + dt.timedelta(minutes=10),
            "start_time": run,
            "sport": "running",
            "total_elapsed_time": 600.0,
        }
    )
    encoder.write_mesg(
        {
            "mesg_num": MESG["ACTIVITY"],
            "timestamp": run + dt.timedelta(minutes=10),
            "local_timestamp": _fit_seconds(run + dt.timedelta(minutes=10)) + 7200,
            "num_sessions": 1,
        }
    )
    (folder / "activity.fit").write_bytes(encoder.close())


def _fit_seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp()) - FIT_EPOCH_S


def apple_health(folder: Path) -> None:
    """P03 around the spring clock change in Amsterdam (31 March 2024)."""
    folder.mkdir(parents=True, exist_ok=True)
    records = [
        _record(
            "HKQuantityTypeIdentifierStepCount",
            "iPhone",
            "count",
            "2024-03-30 10:00:00 +0100",
            "2024-03-30 10:10:00 +0100",
            "1000",
        ),
        _record(
            "HKQuantityTypeIdentifierStepCount",
            "Apple Watch",
            "count",
            "2024-03-30 10:00:00 +0100",
            "2024-03-30 10:10:00 +0100",
            "1100",
        ),
        _record(
            "HKQuantityTypeIdentifierStepCount",
            "Apple Watch",
            "count",
            "2024-03-31 03:30:00 +0200",
            "2024-03-31 03:32:30 +0200",
            "250",
        ),
        _record(
            "HKQuantityTypeIdentifierHeartRate",
            "Apple Watch",
            "count/min",
            "2024-03-30 10:05:00 +0100",
            "2024-03-30 10:05:00 +0100",
            "95",
        ),
        _record(
            "HKQuantityTypeIdentifierHeartRate",
            "Apple Watch",
            "count/min",
            "2024-03-30 10:05:30 +0100",
            "2024-03-30 10:05:30 +0100",
            "105",
        ),
        _record(
            "HKQuantityTypeIdentifierHeartRate",
            "Apple Watch",
            "count/min",
            "2024-03-30 10:06:00 +0100",
            "2024-03-30 10:06:00 +0100",
            "400",
        ),
        _record(
            "HKQuantityTypeIdentifierBodyMass",
            "Scale",
            "kg",
            "2024-03-30 07:00:00 +0100",
            "2024-03-30 07:00:00 +0100",
            "61.5",
        ),
    ]
    for minute in range(10):
        begin = dt.datetime(2024, 3, 30, 10, minute)
        records.append(
            _record(
                "HKQuantityTypeIdentifierAppleExerciseTime",
                "Apple Watch",
                "min",
                f"{begin:%Y-%m-%d %H:%M:%S} +0100",
                f"{begin + dt.timedelta(minutes=1):%Y-%m-%d %H:%M:%S} +0100",
                "1",
            )
        )
    body = "\n".join(records)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-04-02 12:00:00 +0200"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
{body}
</HealthData>
"""
    (folder / "export.xml").write_text(text, encoding="utf-8")


def _record(kind: str, source: str, unit: str, start: str, end: str, value: str) -> str:
    return (
        f' <Record type="{kind}" sourceName="{source}" unit="{unit}" creationDate="{end}" '
        f'startDate="{start}" endDate="{end}" value="{value}"/>'
    )


TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000


def _ticks(moment: dt.datetime) -> int:
    return TICKS_AT_UNIX_EPOCH + int(moment.replace(tzinfo=UTC).timestamp()) * 10_000_000


def actigraph_agd(folder: Path) -> None:
    """P04: 30 minutes in 15-s epochs from 09:00 local on 15 January 2024."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "P04.agd"
    path.unlink(missing_ok=True)
    start = dt.datetime(2024, 1, 15, 9, 0)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE settings (settingID INTEGER, settingName VARCHAR, settingValue VARCHAR)"
        )
        settings = [
            ("softwarename", "ActiLife"),
            ("softwareversion", "6.13.4"),
            ("epochlength", "15"),
            ("startdatetime", str(_ticks(start))),
            ("subjectname", "P04"),
            ("deviceserial", "MOS2E00000000"),
        ]
        connection.executemany(
            "INSERT INTO settings VALUES (?, ?, ?)",
            [(i + 1, name, value) for i, (name, value) in enumerate(settings)],
        )
        connection.execute(
            "CREATE TABLE data (dataTimestamp INTEGER, axis1 INTEGER, axis2 INTEGER, "
            "axis3 INTEGER, steps INTEGER, lux INTEGER, inclineOff INTEGER, "
            "inclineStanding INTEGER, inclineSitting INTEGER, inclineLying INTEGER)"
        )
        rows = []
        for epoch in range(120):
            minute = epoch // 4
            counts, steps = (
                (600, 25) if 10 <= minute < 20 else (1500, 35) if 20 <= minute < 25 else (10, 0)
            )
            moment = start + dt.timedelta(seconds=15 * epoch)
            rows.append((_ticks(moment), counts, counts // 2, counts // 3, steps, 0, 0, 15, 0, 0))
        connection.executemany("INSERT INTO data VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def actigraph_gt3x(folder: Path) -> None:
    """P05: three minutes at 30 Hz from 10:00 local on 16 January 2024; still, then moving."""
    folder.mkdir(parents=True, exist_ok=True)
    rate, scale = 30, 256.0
    start = int(dt.datetime(2024, 1, 16, 10, 0, tzinfo=UTC).timestamp())
    log = bytearray()
    for second in range(180):
        samples = []
        for tick in range(rate):
            t = second + tick / rate
            swing = 0.0 if second < 60 else 0.8 * math.sin(2 * math.pi * 2.0 * t)
            samples.extend([0.0, 1.0 + swing, 0.0])
        payload = struct.pack(f"<{3 * rate}h", *(round(v * scale) for v in samples))
        log += _gt3x_record(0x1A, start + second, payload)
    ticks = (start + 62_135_596_800) * 10_000_000
    info = "\r\n".join(
        [
            "Serial Number: MOS2E00000000",
            "Device Type: wGT3XBT",
            "Firmware: 1.9.2",
            "Battery Voltage: 4.10",
            f"Sample Rate: {rate}",
            f"Start Date: {ticks}",
            f"Stop Date: {ticks + 180 * 10_000_000}",
            f"Last Sample Time: {ticks + 180 * 10_000_000}",
            "TimeZone: 01:00:00",
            f"Download Date: {ticks + 3600 * 10_000_000}",
            "Board Revision: 4",
            "Unexpected Resets: 0",
            f"Acceleration Scale: {scale}",
            "Acceleration Min: -8.0",
            "Acceleration Max: 8.0",
            "Subject Name: P05",
        ]
    )
    with zipfile.ZipFile(folder / "P05.gt3x", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("info.txt", info)
        archive.writestr("log.bin", bytes(log))


def _gt3x_record(kind: int, timestamp: int, payload: bytes) -> bytes:
    header = struct.pack("<BBLH", 0x1E, kind, timestamp, len(payload))
    checksum = 0
    for byte in header + payload:
        checksum ^= byte
    return header + payload + bytes([~checksum & 0xFF])


def main() -> None:
    fitbit_json(HERE / "fitbit_json")
    garmin_fit(HERE / "garmin")
    apple_health(HERE / "apple_health")
    actigraph_agd(HERE / "actigraph")
    actigraph_gt3x(HERE / "actigraph")


if __name__ == "__main__":
    main()
