#!/usr/bin/env python3
"""A stand-in SMS gateway for the tests and the demo (no outside traffic), on 127.0.0.1: the generic
HTTP/JSON gateway `pikou notify send` speaks, or 阿里云短信's signed API (--aliyun).

  python3 scripts/sms_stub.py --port-file PORT --log LOG --token TOKEN [--refuse MOBILE] [--fail-first N] [--aliyun KEY_ID]

POST /sms with `Authorization: Bearer TOKEN` and a JSON body {"client_ref", "mobile", "text"}:
- 200 {"message_id"}: the same id for the same client_ref (a retried request is one message);
- 401 for a wrong token; 400 {"error": "空号"} for --refuse MOBILE; 503 for the first N requests (--fail-first).
Every request is a line of LOG (JSON: client_ref, mobile, status, new), so a test counts the messages
delivered (new) and the requests.

With --aliyun KEY_ID it is 阿里云短信 (dysmsapi 2017-05-25) instead: POST / with form parameters
signed as its documentation says (HMAC-SHA1 with TOKEN + "&" as the AccessKey secret); a wrong
signature or key is HTTP 400/404 {"Code": "SignatureDoesNotMatch" | "InvalidAccessKeyId.NotFound"}.
SendSms answers {"Code": "OK", "BizId"} and, like the platform, does NOT dedup by OutId: a second
request is a second message (new). QuerySendDetails lists the messages of a number on a day
(SendDate yyyyMMdd, China time) with their OutId, so a sender can ask before sending again.
"""
import argparse, base64, datetime, hashlib, hmac, json, os, signal, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--refuse", default="")
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--aliyun", default="", metavar="KEY_ID")
    args = ap.parse_args()
    # Ended by the test that started it, whatever signals its parent passed down as ignored.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    delivered, state = {}, {"requests": 0, "messages": []}

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

        def aliyun(self, raw):
            form = dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            ref, mobile = form.get("OutId", ""), form.get("PhoneNumbers", form.get("PhoneNumber", ""))
            given = form.pop("Signature", "")
            enc = lambda text: urllib.parse.quote(text, safe="-_.~")
            canonical = "&".join(enc(k) + "=" + enc(v) for k, v in sorted(form.items()))
            string_to_sign = "POST&" + enc("/") + "&" + enc(canonical)
            expected = base64.b64encode(hmac.new((args.token + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
            if form.get("AccessKeyId") != args.aliyun:
                return self.answer(404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}, ref, mobile)
            if given != expected or form.get("SignatureMethod") != "HMAC-SHA1" or form.get("SignatureVersion") != "1.0":
                return self.answer(400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our calculation."}, ref, mobile)
            if state["requests"] <= args.fail_first:
                return self.answer(200, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误"}, ref, mobile)
            day = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).strftime("%Y%m%d")
            if form.get("Action") == "QuerySendDetails":
                sent = [m for m in state["messages"] if m["PhoneNum"] == mobile and m["day"] == form.get("SendDate")]
                size, page = int(form.get("PageSize", "10")), int(form.get("CurrentPage", "1"))
                rows = [{k: v for k, v in m.items() if k != "day"} for m in sent[(page - 1) * size:page * size]]
                return self.answer(200, {"Code": "OK", "TotalCount": len(sent), "SmsSendDetailDTOs": {"SmsSendDetailDTO": rows}}, "", mobile)
            if form.get("Action") != "SendSms":
                return self.answer(400, {"Code": "InvalidAction.NotFound"}, ref, mobile)
            if not form.get("TemplateCode") or not form.get("SignName"):
                return self.answer(200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"}, ref, mobile)
            try:
                json.loads(form.get("TemplateParam", "{}"))
            except ValueError:
                return self.answer(200, {"Code": "isv.INVALID_JSON_PARAM"}, ref, mobile)
            if mobile == args.refuse:
                return self.answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}, ref, mobile)
            biz = f"{len(state['messages']) + 1:06d}^0"
            state["messages"].append({"PhoneNum": mobile, "OutId": ref, "SendStatus": 3, "TemplateCode": form["TemplateCode"],
                                      "Content": form.get("TemplateParam", ""), "day": day})
            self.answer(200, {"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": biz}, ref, mobile, True)

        def do_POST(self):
            state["requests"] += 1
            length = int(self.headers.get("Content-Length", "0"))
            if args.aliyun:
                return self.aliyun(self.rfile.read(length))
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
