"""The LLM client of the `salesflow ai …` commands: configuration, structured output, retries.

Any OpenAI-compatible server works through the official `openai` SDK (AsyncOpenAI):
  OPENAI_API_KEY             the key (OpenAI, a gateway); local servers accept any value
  OPENAI_BASE_URL            e.g. http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM)
  SALESFLOW_MODEL            chat model (default gpt-4o-mini)
  SALESFLOW_EMBEDDING_MODEL  embedding model (default text-embedding-3-small)
  SALESFLOW_LLM_TIMEOUT      seconds per HTTP request (default 60)
  SALESFLOW_LLM_RETRIES      extra HTTP attempts on 429/5xx/timeouts/connection errors (default 4)
  SALESFLOW_API_KEY_HEADER   send the key in this header too (Azure-style gateways: api-key)
  SALESFLOW_API_VERSION      add ?api-version=… to every request (Azure-style gateways)

Behaviour is deterministic: the SDK's own retries are off (max_retries=0); this module retries
429/5xx/timeouts with exponential backoff, honouring Retry-After / retry-after-ms, up to
`retries` extra attempts. Model output is parsed as JSON and validated with a pydantic model;
malformed JSON, a refusal, a truncated answer or values out of range get ONE re-ask, then an
LLMError (exit 1) and the caller writes nothing. The API key is never printed or stored; error
texts are scrubbed of it.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import EXIT_BAD_INPUT, EXIT_FAILURE, UserError
from .models import OUTPUT_MODELS
from .prompts import Prompt

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 4
BACKOFF_BASE = 0.5  # seconds; doubles per attempt
BACKOFF_CAP = 20.0
RETRY_AFTER_CAP = 120.0

CONFIG_HELP = (
    "no LLM configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (any OpenAI-compatible server), "
    "e.g. for Ollama: OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_API_KEY=ollama SALESFLOW_MODEL=llama3.1"
)


class NotConfigured(UserError):
    def __init__(self) -> None:
        super().__init__(CONFIG_HELP, exit_code=EXIT_BAD_INPUT)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    attempts: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.latency_ms + other.latency_ms,
            self.attempts + other.attempts,
        )


class LLMError(UserError):
    """The model could not deliver a valid answer (after retries): exit 1, nothing written."""

    def __init__(self, message: str, usage: Usage | None = None, hint: str | None = None):
        super().__init__(message, hint=hint, exit_code=EXIT_FAILURE)
        self.usage = usage or Usage()


@dataclass(frozen=True)
class LLMConfig:
    api_key: Optional[str] = field(repr=False)
    base_url: Optional[str]
    model: str = DEFAULT_MODEL
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    api_key_header: Optional[str] = None
    api_version: Optional[str] = None

    def scrub(self, text: str) -> str:
        """Remove the API key from a message (some servers echo it back)."""
        if self.api_key and len(self.api_key) >= 4:
            text = text.replace(self.api_key, "***")
        return text


def _env(name: str) -> Optional[str]:
    value = os.environ.get(name)
    return value.strip() if value and value.strip() else None


def load_config(
    *,
    api_key: Optional[str] = None,
    base_url: Optional[str] = None,
    model: Optional[str] = None,
    embedding_model: Optional[str] = None,
    timeout: Optional[float] = None,
    retries: Optional[int] = None,
) -> LLMConfig:
    """Flags first, then the environment; neither a key nor a base URL → NotConfigured (exit 2)."""
    api_key = api_key or _env("OPENAI_API_KEY")
    base_url = base_url or _env("OPENAI_BASE_URL")
    if not api_key and not base_url:
        raise NotConfigured()
    timeout = timeout if timeout is not None else float(_env("SALESFLOW_LLM_TIMEOUT") or DEFAULT_TIMEOUT)
    retries = retries if retries is not None else int(_env("SALESFLOW_LLM_RETRIES") or DEFAULT_RETRIES)
    if timeout <= 0 or retries < 0:
        raise UserError("--timeout must be positive and --retries 0 or more")
    return LLMConfig(
        api_key=api_key,
        base_url=base_url,
        model=model or _env("SALESFLOW_MODEL") or DEFAULT_MODEL,
        embedding_model=embedding_model or _env("SALESFLOW_EMBEDDING_MODEL") or DEFAULT_EMBEDDING_MODEL,
        timeout=timeout,
        retries=retries,
        api_key_header=_env("SALESFLOW_API_KEY_HEADER"),
        api_version=_env("SALESFLOW_API_VERSION"),
    )


M = TypeVar("M", bound=BaseModel)


@dataclass
class Completion:
    data: BaseModel
    raw: Any
    model: str
    usage: Usage


def _retry_after(exc) -> Optional[float]:
    headers = exc.response.headers if exc.response is not None else {}
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return min(float(ms) / 1000.0, RETRY_AFTER_CAP)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), RETRY_AFTER_CAP)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return min(max(parsed.timestamp() - time.time(), 0.0), RETRY_AFTER_CAP)


def _retryable(exc: Exception) -> bool:
    import openai

    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 425, 429) or exc.status_code >= 500
    return False


class LLM:
    """AsyncOpenAI with bounded concurrency, own retries and validated structured output."""

    def __init__(self, cfg: LLMConfig, *, concurrency: int = 4):
        import openai  # imported here: it takes seconds, and only the ai commands need it

        self.cfg = cfg
        headers = {cfg.api_key_header: cfg.api_key} if cfg.api_key_header and cfg.api_key else None
        query = {"api-version": cfg.api_version} if cfg.api_version else None
        self.client = openai.AsyncOpenAI(
            api_key=cfg.api_key or "not-needed",  # local servers ignore it; the SDK wants a value
            base_url=cfg.base_url or None,
            timeout=cfg.timeout,
            max_retries=0,  # retries are ours (below): deterministic counts, Retry-After honoured
            default_headers=headers,
            default_query=query,
        )
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        # embedding requests (batched by the memory pipeline) get their own slots, so they never
        # take a chat call's place
        self.embed_semaphore = asyncio.Semaphore(max(2, concurrency // 4))
        self.http_calls = 0

    async def aclose(self) -> None:
        await self.client.close()

    def _describe(self, exc: Exception) -> str:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            text = f"the LLM server did not answer within {self.cfg.timeout:g} s"
        elif isinstance(exc, openai.APIConnectionError):
            text = f"cannot reach the LLM server at {self.cfg.base_url or 'api.openai.com'}"
        elif isinstance(exc, openai.APIStatusError):
            detail = getattr(exc, "message", None) or str(exc)
            text = f"the LLM server answered HTTP {exc.status_code}: {detail}"
        else:
            text = str(exc)
        return self.cfg.scrub(" ".join(text.split()))[:400]

    async def _request(self, call, *, semaphore: asyncio.Semaphore | None = None, **kwargs) -> tuple[Any, Usage]:
        """One logical request with HTTP-level retries. Returns (response, usage incl. attempts)."""
        import openai

        attempts = 0
        started = time.perf_counter()
        while True:
            attempts += 1
            try:
                async with semaphore or self.semaphore:
                    self.http_calls += 1
                    response = await call(**kwargs)
                latency = int((time.perf_counter() - started) * 1000)
                return response, Usage(latency_ms=latency, attempts=attempts)
            except Exception as exc:  # noqa: BLE001 - classified below
                if not _retryable(exc) and not isinstance(exc, openai.APIStatusError):
                    raise
                latency = int((time.perf_counter() - started) * 1000)
                if not _retryable(exc) or attempts > self.cfg.retries:
                    hint = None
                    if isinstance(exc, openai.AuthenticationError):
                        hint = "check OPENAI_API_KEY (it is not shown here)"
                    elif isinstance(exc, openai.NotFoundError):
                        hint = "check SALESFLOW_MODEL / SALESFLOW_EMBEDDING_MODEL and OPENAI_BASE_URL"
                    raise LLMError(
                        f"{self._describe(exc)} (after {attempts} attempt{'s' if attempts != 1 else ''})",
                        Usage(latency_ms=latency, attempts=attempts),
                        hint=hint,
                    ) from None
                delay = _retry_after(exc) if isinstance(exc, openai.APIStatusError) else None
                if delay is None:
                    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1)) * random.uniform(0.9, 1.1)
                await asyncio.sleep(delay)

    async def _post_json(self, *, path: str, body: dict) -> dict:
        """POST through the SDK client; the JSON body as a dict (a non-JSON body counts as empty)."""
        import httpx2

        # serialised once here: the SDK would deep-copy the nested body (prompts, schema) per request
        response = await self.client.post(
            path, cast_to=httpx2.Response,
            content=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
            options={"headers": {"Content-Type": "application/json"}},
        )
        try:
            data = json.loads(await response.aread() or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    async def structured(self, prompt: Prompt, user_content: str, *, model: str | None = None,
                         history: list[dict] | None = None, output: type[M] | None = None) -> Completion:
        """Chat completion with response_format json_schema, validated by the prompt's pydantic model."""
        output = output or OUTPUT_MODELS[prompt.key]
        messages: list[dict] = [{"role": "system", "content": prompt.system_prompt}]
        messages += history or []
        messages.append({"role": "user", "content": user_content})
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": prompt.schema_name, "schema": prompt.json_schema, "strict": True},
        }
        usage = Usage()
        model = model or self.cfg.model
        problem = ""
        for round_ in (1, 2):
            # The SDK's documented client.post (same client: auth, base URL, timeout, errors) with the
            # Chat Completions body: its typed create() spends more CPU on request transforms and
            # response models than a 200 ms call leaves room for at 80 calls/s on two cores.
            response, u = await self._request(self._post_json, path="/chat/completions", body={
                "model": model,
                "messages": messages,
                "response_format": response_format,
                "temperature": float(prompt.temperature),
            })
            tokens = response.get("usage") or {}
            usage = usage + u + Usage(
                prompt_tokens=int(tokens.get("prompt_tokens") or 0),
                completion_tokens=int(tokens.get("completion_tokens") or 0),
            )
            content, problem = None, ""
            choices = response.get("choices") or []
            if not choices or not isinstance(choices[0], dict):
                problem = "the answer had no choices"
            else:
                choice = choices[0]
                message = choice.get("message") or {}
                content = message.get("content")
                if message.get("refusal"):
                    problem = f"the model refused: {' '.join(str(message['refusal']).split())[:200]}"
                elif choice.get("finish_reason") == "length":
                    problem = "the answer was cut off (token limit)"
                elif choice.get("finish_reason") == "content_filter":
                    problem = "the answer was withheld by the server's content filter"
                else:
                    try:
                        data = json.loads(content or "")
                    except (TypeError, ValueError) as exc:
                        problem = f"the answer is not valid JSON ({exc.__class__.__name__}: {str(exc)[:80]})"
                    else:
                        try:
                            parsed = output.model_validate(data)
                        except ValidationError as exc:
                            problem = "the answer does not match the schema: " + _short_validation(exc)
                        else:
                            return Completion(parsed, data, response.get("model") or model, usage)
            if round_ == 1:
                if content:
                    messages.append({"role": "assistant", "content": content})
                messages.append({
                    "role": "user",
                    "content": f"Your previous answer was rejected: {problem}. Answer again with JSON that matches "
                               "the schema exactly, with every value inside its allowed range.",
                })
        raise LLMError(f"{prompt.key}: {problem} (also after one retry); nothing was written", usage)

    async def embed(self, texts: list[str], *, model: str | None = None) -> tuple[list[list[float]], Usage, str]:
        model = model or self.cfg.embedding_model
        response, u = await self._request(self._post_json, semaphore=self.embed_semaphore, path="/embeddings",
                                          body={"model": model, "input": texts, "encoding_format": "float"})
        try:
            data = sorted(response.get("data") or [], key=lambda d: d.get("index", 0))
            vectors = [[float(x) for x in d["embedding"]] for d in data]
        except (TypeError, ValueError, KeyError, AttributeError):
            vectors = []
        if len(vectors) != len(texts) or any(not v for v in vectors):
            raise LLMError(f"the embedding server returned {len(vectors)} usable vectors for {len(texts)} texts", u)
        tokens = response.get("usage") or {}
        return vectors, u + Usage(prompt_tokens=int(tokens.get("prompt_tokens") or 0)), model



def _short_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {err.get('msg')}")
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
