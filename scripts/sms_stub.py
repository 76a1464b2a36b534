#!/usr/bin/env python3
"""A stand-in SMS gateway for the tests (no outside traffic): the generic HTTP/JSON gateway
`pikou notify send` speaks, on 127.0.0.1.

  python3 scripts/sms_stub.py --port-file PORT --log LOG --token TOKEN [--refuse MOBILE] [--fail-first N]

POST /sms with `Authorization: Bearer TOKEN` and a JSON body {"client_ref", "mobile", "text"}:
- 200 {"message_id"}: the same id for the same client_ref (a retried request is one message);
- 401 for a wrong token; 400 {"error": "空号"} for --refuse MOBILE; 503 for the first N requests (--fail-first).
Every request is a line of LOG (JSON: client_ref, mobile, status, new), so a test counts the messages
delivered (new) and the requests.
"""
import argparse, json, os, signal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--refuse", default="")
    ap.add_argument("--fail-first", type=int, default=0)
    args = ap.parse_args()
    # Ended by the test that started it, whatever signals its parent passed down as ignored.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    delivered, state = {}, {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def answer(self, status, body, ref="", mobile="", new=False):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with open(args.log, "a", encoding="utf-8") as log:
                log.write(json.dumps({"client_ref": ref, "mobile": mobile, "status": status, "new": new}, ensure_ascii=False) + "\n")

        def do_POST(self):
            state["requests"] += 1
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except ValueError:
                return self.answer(400, {"error": "请求不是 JSON"})
            ref, mobile = body.get("client_ref", ""), body.get("mobile", "")
            if self.path != "/sms":
                return self.answer(404, {"error": "no such path"}, ref, mobile)
            if self.headers.get("Authorization") != "Bearer " + args.token:
                return self.answer(401, {"error": "令牌无效"}, ref, mobile)
            if state["requests"] <= args.fail_first:
                return self.answer(503, {"error": "网关繁忙"}, ref, mobile)
            if not ref or not mobile or not body.get("text"):
                return self.answer(400, {"error": "缺少 client_ref、mobile 或 text"}, ref, mobile)
            if mobile == args.refuse:
                return self.answer(400, {"error": "空号"}, ref, mobile)
            new = ref not in delivered
            if new:
                delivered[ref] = f"M{len(delivered) + 1:06d}"
            self.answer(200, {"message_id": delivered[ref]}, ref, mobile, new)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
