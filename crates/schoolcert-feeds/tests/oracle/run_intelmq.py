#!/usr/bin/env python3
"""Run IntelMQ 3.5's Shadowserver parser (library mode) over ./input/*.csv and write what it
produces, per data line, to ./golden/<input>.jsonl: {"line": N, "event": {...}} or
{"line": N, "failed": true}. The Rust test `oracle` compares our parser with these files, so
CI needs no Python.

    python3 -m venv /work/venv-intelmq && /work/venv-intelmq/bin/pip install intelmq==3.5.0
    /work/venv-intelmq/bin/python run_intelmq.py

Each data line is handed to the parser as its own report (header + that line), so every event
is tied to its line. time.observation is fixed; feed.provider is "Shadowserver"; feed.name is
left to the parser (it sets the schema's feed name).
"""
import base64
import glob
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "data", "shadowserver-schema.json")
OBSERVATION = "2026-11-20T06:00:00+00:00"


def main():
    root = tempfile.mkdtemp(prefix="intelmq-oracle-")
    os.environ["INTELMQ_ROOT_DIR"] = root
    etc = os.path.join(root, "etc")
    state = os.path.join(root, "var", "lib", "bots")
    os.makedirs(etc)
    os.makedirs(state)
    import intelmq
    pkg_etc = os.path.join(os.path.dirname(intelmq.__file__), "etc")
    shutil.copy(os.path.join(pkg_etc, "harmonization.conf"), os.path.join(etc, "harmonization.conf"))
    shutil.copy(SCHEMA, os.path.join(state, "shadowserver-schema.json"))

    from intelmq.lib.bot import BotLibSettings
    from intelmq.lib import message as libmessage
    from intelmq.lib.utils import load_configuration
    from intelmq.bots.parsers.shadowserver.parser import ShadowserverParserBot

    harm = load_configuration(os.path.join(etc, "harmonization.conf"))
    quiet = {"logging_level": "CRITICAL", "error_dump_message": False}
    parser = ShadowserverParserBot("oracle-parser", settings=BotLibSettings | quiet)
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    for path in sorted(glob.glob(os.path.join(HERE, "input", "*.csv"))):
        with open(path, newline="") as fh:
            text = fh.read()
        lines = text.split("\n")
        header, data = lines[0], lines[1:]
        out = []
        for i, line in enumerate(data, start=2):
            if not line.strip():
                continue
            report = libmessage.Report(harmonization=harm)
            report.add("feed.provider", "Shadowserver")
            report.add("time.observation", OBSERVATION, overwrite=True)
            report.add("extra.file_name", os.path.basename(path))
            report.add("raw", header + "\n" + line + "\n")
            res = parser.process_message(report)
            events = res.get("output", [])
            if events:
                ev = events[0].to_dict(hierarchical=False)
                ev.pop("__type", None)
                out.append({"line": i, "event": ev})
            else:
                out.append({"line": i, "failed": True})
        name = os.path.basename(path).replace(".csv", ".jsonl")
        with open(os.path.join(HERE, "golden", name), "w") as fh:
            for rec in out:
                fh.write(json.dumps(rec, sort_keys=True) + "\n")
        print(name, len(out), "lines,", sum(1 for r in out if "failed" in r), "failed",
              file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
