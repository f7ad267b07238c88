"""An SMTP server for Liaison's mail tests.

Listens on 127.0.0.1 (a free port unless one is given), accepts every
message and writes each one, decoded, as a JSON file into FOLDER: envelope,
From, To, Subject and the plain-text body. While a file named `refuse`
exists in FOLDER it answers every message with a temporary failure (451),
so tests can watch Liaison retry. Prints the port on its first line.

    python3 smtp_sink.py FOLDER [PORT]

It speaks the part of SMTP (RFC 5321) a sender without TLS or login uses:
EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. Built on asyncio alone, so
it runs on any Python 3.8 or newer with nothing to install.
"""

import asyncio
import json
import os
import sys
from email import policy
from email.parser import BytesParser


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def store(self, mailfrom, rcpttos, data):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            return b"451 4.3.0 Try again later"
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
        return b"250 2.0.0 Stored"

    async def session(self, reader, writer):
        def reply(line):
            writer.write(line + b"\r\n")

        def address(argument):
            return argument.split(b":", 1)[1].strip().split(b" ")[0].strip(b"<>").decode()

        reply(b"220 liaison-test-sink ESMTP")
        mailfrom, rcpttos = None, []
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                command = line.rstrip(b"\r\n")
                verb = command.split(b" ", 1)[0].upper()
                if verb in (b"EHLO", b"HELO"):
                    reply(b"250-liaison-test-sink" if verb == b"EHLO" else b"250 liaison-test-sink")
                    if verb == b"EHLO":
                        reply(b"250-8BITMIME")
                        reply(b"250 SMTPUTF8")
                elif verb == b"MAIL":
                    mailfrom, rcpttos = address(command), []
                    reply(b"250 2.1.0 OK")
                elif verb == b"RCPT":
                    rcpttos.append(address(command))
                    reply(b"250 2.1.5 OK")
                elif verb == b"DATA":
                    reply(b"354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    lines = []
                    while True:
                        data_line = await reader.readline()
                        if data_line in (b".\r\n", b".\n", b""):
                            break
                        # Undo dot-stuffing.
                        lines.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                    reply(self.store(mailfrom, rcpttos, b"".join(lines)))
                    mailfrom, rcpttos = None, []
                elif verb == b"RSET":
                    mailfrom, rcpttos = None, []
                    reply(b"250 2.0.0 OK")
                elif verb == b"NOOP":
                    reply(b"250 2.0.0 OK")
                elif verb == b"QUIT":
                    reply(b"221 2.0.0 Bye")
                    await writer.drain()
                    break
                else:
                    reply(b"502 5.5.2 Command not implemented")
                await writer.drain()
        finally:
            writer.close()


async def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    sink = Sink(folder)
    server = await asyncio.start_server(sink.session, "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
