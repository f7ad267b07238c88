"""A real SMTP server for Liaison's mail tests.

Listens on 127.0.0.1 (a free port unless one is given), accepts every
message and writes each one, decoded, as a JSON file into FOLDER: envelope,
From, To, Subject and the plain-text body. While a file named `refuse`
exists in FOLDER it answers every message with a temporary failure (451),
so tests can watch Liaison retry. Prints the port on its first line.

    python3 smtp_sink.py FOLDER [PORT]

Uses the standard library's smtpd (Python 3.11 and older) so that nothing
needs installing.
"""

import json
import os
import sys
import warnings
from email import policy
from email.parser import BytesParser

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd


class Sink(smtpd.SMTPServer):
    def __init__(self, folder, port):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.folder = folder
        self.count = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(data)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "envelope_from": mailfrom,
            "envelope_to": rcpttos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "body": body.get_content() if body is not None else "",
        }
        self.count += 1
        name = os.path.join(self.folder, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(name + ".tmp", name)
        return None


def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    server = Sink(folder, port)
    print(server.socket.getsockname()[1], flush=True)
    asyncore.loop(timeout=0.2)


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        main()
