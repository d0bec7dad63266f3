"""HTTP to the MLflow REST API, standard library only: bearer token, CA bundle, retries."""

import json
import math
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

from .exceptions import MlflowException

_RETRY_STATUSES = {429, 500, 502, 503, 504}


def _int_env(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _ssl_context():
    if os.environ.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() == "true":
        return ssl._create_unverified_context()
    cafile = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
    if cafile and os.path.isfile(cafile):
        return ssl.create_default_context(cafile=cafile)
    return ssl.create_default_context()


def wire_double(value):
    """A metric value as protobuf JSON spells it: JSON has no NaN or Infinity."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def _error_of(status, raw):
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and "message" in body:
        return MlflowException(body["message"], body.get("error_code", "INTERNAL_ERROR"), status)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):  # ARM-shaped (e.g. auth)
        error = body["error"]
        return MlflowException(error.get("message", ""), error.get("code", "INTERNAL_ERROR"), status)
    text = raw.decode("utf-8", "replace").strip()
    return MlflowException(f"HTTP {status}: {text[:500]}", "INTERNAL_ERROR", status)


def _retry_delay(attempt, retry_after):
    base = min(0.25 * (2**attempt), 4.0)
    try:
        return min(max(float(retry_after), 0.0), 10.0) if retry_after else base
    except ValueError:
        return base


def call(base_uri, method, op, body=None, query=None):
    """One REST call to ``{base_uri}/api/2.0/mlflow/{op}``; retries 429/5xx and connection errors."""
    url = f"{base_uri.rstrip('/')}/api/2.0/mlflow/{op}"
    if query:
        url += "?" + urllib.parse.urlencode(query, doseq=True)
    data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
    max_retries = _int_env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 5)
    timeout = _int_env("MLFLOW_HTTP_REQUEST_TIMEOUT", 60)
    context = _ssl_context() if url.lower().startswith("https:") else None
    attempt = 0
    while True:
        headers = {"Accept": "application/json", "User-Agent": "mlflow-emulator-shim"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
                raw = response.read()
                return json.loads(raw.decode("utf-8")) if raw else {}
        except urllib.error.HTTPError as error:
            raw = error.read()
            if error.code in _RETRY_STATUSES and attempt < max_retries:
                time.sleep(_retry_delay(attempt, error.headers.get("Retry-After")))
                attempt += 1
                continue
            raise _error_of(error.code, raw) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            untrusted = isinstance(getattr(error, "reason", None), ssl.SSLError)
            if attempt < max_retries and not untrusted:
                time.sleep(_retry_delay(attempt, None))
                attempt += 1
                continue
            reason = getattr(error, "reason", error)
            raise MlflowException(f"API request to {url} failed: {reason}", "INTERNAL_ERROR") from None
