#!/usr/bin/python3
"""smtp_sink.py - a loopback SMTP server for the integration tests.

Each accepted message becomes NNNNNN.eml (the raw bytes) in --dir, next to
NNNNNN.json (the envelope); both are written to a temporary name and then
renamed, the .eml last, so a reader that counts *.eml never sees half a
mail. Prints "ready PORT" on stdout once listening; stops on SIGTERM/SIGINT.
Run it with Debian's /usr/bin/python3 (it has aiosmtpd).
"""
import argparse
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class DirHandler:
    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.seq = 0
        for name in os.listdir(directory):
            if name.endswith(".eml"):
                try:
                    self.seq = max(self.seq, int(name[:-4]))
                except ValueError:
                    pass

    def _write(self, name, data):
        tmp = os.path.join(self.dir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.dir, name))

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seq += 1
            base = "%06d" % self.seq
        meta = {
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "peer": str(session.peer),
        }
        self._write(base + ".json", json.dumps(meta).encode())
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        self._write(base + ".eml", data)
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    ctl = Controller(DirHandler(args.dir), hostname=args.host,
                     port=args.port, decode_data=False,
                     data_size_limit=10 * 1024 * 1024)
    ctl.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("ready %d" % args.port, flush=True)
    done.wait()
    ctl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
