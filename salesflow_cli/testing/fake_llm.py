"""A real HTTP server on 127.0.0.1 that speaks the OpenAI API, for the `salesflow ai` tests and `salesflow bench --ai`.

Stdlib only (http.server in a thread). Endpoints:
  POST /v1/chat/completions  structured JSON content chosen by the request's json_schema name
  POST /v1/embeddings        deterministic bag-of-words vectors (texts sharing words are close)

Scripted behaviours per schema name (or '*' for any chat request, 'embeddings' for embeddings),
consumed first-in first-out before the default answer:
  {"status": 429, "headers": {"Retry-After": "1"}}   an HTTP error (any status)
  {"sleep": 2.0}                                        answer late (client timeout)
  {"content": "{not json"}                              raw message content
  {"refusal": "I can't help with that."}               message.refusal set, content null
  {"data": {...}}                                       this JSON object as content
  {"patch": {...}}                                      the default answer updated with these keys
The server records every request (path, headers, parsed body) and counts them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORD = re.compile(r"[a-zäöüß0-9]+", re.IGNORECASE)


def embed_text(text: str, dims: int) -> list[float]:
    """Deterministic: each word adds 1 at two hashed positions; L2-normalised."""
    vec = [0.0] * dims
    for word in WORD.findall(text.lower()):
        h = hashlib.sha256(word.encode()).digest()
        vec[int.from_bytes(h[:4], "big") % dims] += 1.0
        vec[int.from_bytes(h[4:8], "big") % dims] += 0.5
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    if norm == 1.0 and not any(vec):
        vec[0] = 1.0
    return [v / norm for v in vec]


def _between(text: str, tag: str) -> str:
    m = re.search(rf"<{tag}>\n?(.*?)\n?</{tag}>", text, re.DOTALL)
    return m.group(1) if m else ""


def default_answer(schema: str, user_text: str) -> dict:
    """A valid answer per schema, built from the request so write-back can be checked."""
    msgs = _between(user_text, "lead_messages")
    lead_lines = [line.split("] ", 1)[-1] for line in msgs.splitlines() if "from lead" in line]
    first = (lead_lines[0] if lead_lines else "keine Nachricht")[:80]
    if schema == "disg_profile":
        return {"d": 30, "i": 75, "s": 55, "g": 20, "confidence": 0.7,
                "evidence": [{"type": "I", "quote": first, "reasoning": "enthusiastic, personal tone"}],
                "summary": "Open, enthusiastic communicator.", "communication_tips": ["Be warm and personal."]}
    if schema == "bant_assessment":
        dim = lambda s, e: {"score": s, "evidence": e, "next_question": "Was ist dir dabei wichtig?"}  # noqa: E731
        return {"budget": dim(6, "mentions a budget"), "authority": dim(4, "decides with partner"),
                "need": dim(8, "clear problem"), "timeline": dim(5, "this quarter"),
                "summary": "Promising but authority unclear.", "biggest_risk": "Partner not involved yet."}
    if schema == "lead_memory":
        text = " ".join(lead_lines) or "no messages"
        return {"summary": f"Lead wrote: {text}"[:1500], "key_facts": [{"key": "channel", "value": "whatsapp"}],
                "pain_points": ["wenig Zeit"], "objections": ["Preis"], "next_steps": ["Termin vereinbaren"]}
    if schema == "sales_script":
        return {"channel": "whatsapp", "subject": None,
                "message": "Hallo! Schön, von dir zu hören. Hättest du Donnerstag 10 Minuten für ein kurzes Gespräch?",
                "call_to_action": "Termin Donnerstag", "disg_adaptations": ["warm, persönlich"],
                "personalization_notes": ["bezieht sich auf das letzte Gespräch"]}
    if schema == "objection_reply":
        return {"objection_type": "price", "underlying_concern": "Unsicher, ob es sich lohnt.",
                "responses": [{"technique": "Verständnis – Rückfrage",
                               "text": "Verstehe ich gut. Was wäre dir das Ergebnis denn wert?"},
                              {"technique": "Option statt Druck",
                               "text": "Wir können auch mit einem kleinen Paket starten, ganz ohne Eile."}],
                "recommended_index": 0, "follow_up_question": "Was genau lässt dich zögern?"}
    if schema == "coach_answer":
        return {"answer": "Frag zuerst nach dem Bedarf, dann nach dem Zeitrahmen. Bleib freundlich und konkret.",
                "suggested_actions": ["Nachfassen am Donnerstag"]}
    if schema == "compliance_review":
        return {"decision": "allowed", "violations": [], "compliant_rewrite": None}
    if schema == "next_best_actions":
        return {"recommendations": [{"rec_type": "book_meeting", "title": "Kurzen Beratungstermin vorschlagen",
                                     "reason": "Lead zeigt klaren Bedarf.", "channel": "whatsapp",
                                     "suggested_message": "Hast du Donnerstag 10 Minuten Zeit?",
                                     "priority": 70, "due_in_hours": 24}]}
    return {}


class FakeOpenAI:
    def __init__(self, dims: int = 768):
        self.dims = dims
        self.chat_latency = 0.0
        self.embed_latency = 0.0
        self.requests: list[dict] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.scripts: dict[str, deque] = defaultdict(deque)
        self.answers: dict[str, dict] = {}  # schema -> fixed default answer
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                status, headers, payload = server.handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 512  # a batch opens many connections at once (default backlog: 5)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, key: str, *behaviours: dict) -> None:
        self.scripts[key].extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.counts.clear()
            self.scripts.clear()
            self.answers.clear()

    def chat_requests(self, schema: str | None = None) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")
                and (schema is None or r["schema"] == schema)]

    # ------------------------------------------------------------------ request handling
    def _next(self, key: str) -> dict | None:
        with self._lock:
            for k in (key, "*"):
                if self.scripts.get(k):
                    return self.scripts[k].popleft()
        return None

    def handle(self, path: str, headers: dict, body: dict):
        if path.endswith("/chat/completions"):
            schema = (((body.get("response_format") or {}).get("json_schema") or {}).get("name")) or "text"
            with self._lock:
                self.requests.append({"path": path, "headers": headers, "body": body, "schema": schema})
                self.counts["chat"] += 1
                self.counts[schema] += 1
            return self._chat(schema, body)
        if path.endswith("/embeddings"):
            with self._lock:
                self.requests.append({"path": path, "headers": headers, "body": body, "schema": "embeddings"})
                self.counts["embeddings"] += 1
            return self._embeddings(body)
        return 404, {}, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}

    def _error(self, b: dict):
        status = int(b["status"])
        kind = "rate_limit_exceeded" if status == 429 else "server_error"
        return status, b.get("headers", {}), {"error": {"message": b.get("message", f"scripted {status}"), "type": kind}}

    def _chat(self, schema: str, body: dict):
        b = self._next(schema)
        if b and "sleep" in b:
            time.sleep(b["sleep"])
        elif self.chat_latency:
            time.sleep(self.chat_latency)
        if b and "status" in b:
            return self._error(b)
        user_text = "\n".join(m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user")
        content, refusal = None, None
        if b and "content" in b:
            content = b["content"]
        elif b and "refusal" in b:
            refusal = b["refusal"]
        else:
            data = dict(b["data"]) if b and "data" in b else dict(self.answers.get(schema) or default_answer(schema, user_text))
            if b and "patch" in b:
                data.update(b["patch"])
            content = json.dumps(data, ensure_ascii=False)
        prompt_tokens = sum(len((m.get("content") or "").split()) for m in body.get("messages", []))
        completion_tokens = len((content or refusal or "").split())
        return 200, {}, {
            "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "test-model"),
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": content, "refusal": refusal}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _embeddings(self, body: dict):
        b = self._next("embeddings")
        if b and "sleep" in b:
            time.sleep(b["sleep"])
        elif self.embed_latency:
            time.sleep(self.embed_latency)
        if b and "status" in b:
            return self._error(b)
        inputs = body.get("input")
        inputs = [inputs] if isinstance(inputs, str) else list(inputs or [])
        data = [{"object": "embedding", "index": i, "embedding": embed_text(t, self.dims)} for i, t in enumerate(inputs)]
        tokens = sum(len(t.split()) for t in inputs)
        return 200, {}, {"object": "list", "data": data, "model": body.get("model", "test-embed"),
                         "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
