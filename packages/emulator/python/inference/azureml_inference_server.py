"""The emulator's stand-in for the Azure ML inference server (azureml-inference-server-http).

Stdlib only. Loads a scoring script by path, calls its init() once, then serves:
  GET /                          -> 200 "Healthy" (liveness and readiness)
  GET|POST|OPTIONS /score        -> run(data); data is the raw body as str (GET: the query as JSON)
  GET /swagger.json?version=...  -> the user's swagger file from the app root, else a generated one
Behaviour follows the real server (routes.py, user_script.py, input_parsers.py, swagger.py): JSON
error bodies {"message": ...}, x-ms-run-function-failed on every AML response, x-ms-run-fn-exec-ms
on score responses, x-request-id echoed or generated, run() timed out by SIGALRM after
SCORING_TIMEOUT_MS. Like the real server's sync worker, run() calls are serial, in the main thread
(SIGALRM can only interrupt the main thread); HTTP requests are read by a thread per connection.

Usage: python3 azureml_inference_server.py --entry_script score.py --app_root DIR [--host H]
       [--port 0] [--parent_pid PID]
Prints "Listening at: http://HOST:PORT (PID)" once init() has returned and requests are served;
on a failed start it logs "Server failed to start: <Type>: <message>" and exits with code 3.
"""

import argparse
import importlib.util
import inspect
import itertools
import json
import logging
import os
import queue
import signal
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SERVER_VERSION = "1.4.1"
DEFAULT_SCORING_TIMEOUT_MS = 60_000
HEADER_LIMIT = 100
FILE_TREE_LOG_LINE_LIMIT = 200
SWAGGER_VERSIONS = ("2", "2.0", "3", "3.0", "3.1")
SUPPORTED_SWAGGER_VERSIONS = "2, 3, 3.1"
EXIT_BOOT_ERROR = 3  # what gunicorn treats as a boot error

logger = logging.getLogger("azmlinfsrv")


class StartupError(Exception):
    """The server cannot start: the cause is logged, the process exits with EXIT_BOOT_ERROR."""


class BadInput(Exception):
    pass


class RunTimeout(Exception):
    def __init__(self, timeout_ms):
        super().__init__(f"Script failed to finish execution within the allocated time: {timeout_ms}ms")
        self.timeout_ms = timeout_ms


class RunFailed(Exception):
    pass


# --- logging -------------------------------------------------------------------------------------


class AMLLogFormatter(logging.Formatter):
    """The real server's format: "<UTC date> <UTC time> <level char> [<pid>] <logger> - <message>"."""

    converter = time.gmtime

    def __init__(self):
        super().__init__("%(asctime)s %(levelname).1s [%(process)d] %(name)s - %(message)s")


def configure_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(AMLLogFormatter())
    root = logging.getLogger("azmlinfsrv")
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("AZUREML_LOG_LEVEL", "INFO").upper())
    root.propagate = False


def exception_line(error):
    """One line naming the exception, e.g. "ModuleNotFoundError: No module named 'x'"."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# --- the user's script ---------------------------------------------------------------------------


class UserScript:
    def __init__(self, entry_script):
        self.entry_script = entry_script
        self.run_param = None
        self.wants_request_headers = False
        self._init = None
        self._run = None

    def load(self):
        script_dir = os.path.dirname(self.entry_script)
        if script_dir not in sys.path:
            sys.path.insert(0, script_dir)
        try:
            spec = importlib.util.spec_from_file_location("entry_module", self.entry_script)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        except BaseException as error:
            if isinstance(error, FileNotFoundError):
                logger.error("No such file or directory.")
            logger.error(traceback.format_exc())
            raise StartupError(exception_line(error)) from None

        for name in ("init", "run"):
            if not hasattr(module, name):
                message = f"User script at {self.entry_script} does not have a {name}() function defined."
                logger.error(message)
                raise StartupError(message)
        self._init = module.init
        self._run = module.run
        logger.info(f"Found user script at {self.entry_script}")
        self._analyze_run()

    def _analyze_run(self):
        params = list(inspect.signature(self._run).parameters.values())
        if any(p.kind not in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
            raise self._fail("run() cannot accept positional-only arguments, *args, or **kwargs.")
        self.wants_request_headers = any(p.name == "request_headers" for p in params)
        params = [p for p in params if p.name != "request_headers"]
        if not params:
            if self.wants_request_headers:
                raise self._fail('run() needs to accept an argument other than "request_headers".')
            raise self._fail("run() needs to accept an argument for input data.")
        self.run_param = params[0].name
        logger.info("run() is not decorated. Server will invoke it with the input in JSON string.")

    @staticmethod
    def _fail(message):
        logger.error(message)
        return StartupError(message)

    def invoke_init(self, model_dir):
        logger.info("Invoking user's init function")
        try:
            self._init()
        except BaseException as error:
            logger.error("User's init function failed")
            logger.error(f"Encountered Exception {traceback.format_exc()}")
            log_model_dir(model_dir)
            raise StartupError(exception_line(error)) from None
        logger.info("Users's init has completed successfully")

    def invoke_run(self, data, headers, timeout_ms):
        """Calls run() in this (the main) thread; returns (output, elapsed_ms)."""
        kwargs = {self.run_param: data}
        if self.wants_request_headers:
            kwargs["request_headers"] = headers
        start = time.perf_counter()
        try:
            with alarm(timeout_ms):
                output = self._run(**kwargs)
        except TimeoutError:
            logger.error(f"Encountered Exception: {traceback.format_exc()}")
            raise RunTimeout(timeout_ms) from None
        except Exception as error:
            logger.error(f"Encountered Exception: {traceback.format_exc()}")
            raise RunFailed(str(error)) from None
        return output, (time.perf_counter() - start) * 1000


class alarm:
    """Raises TimeoutError in the main thread after timeout_ms (the real server's timeout())."""

    def __init__(self, timeout_ms):
        self.timeout_s = timeout_ms / 1000

    def __enter__(self):
        self.previous = signal.signal(signal.SIGALRM, self._expired)
        signal.setitimer(signal.ITIMER_REAL, self.timeout_s)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)
        return False

    @staticmethod
    def _expired(signum, frame):
        raise TimeoutError


def log_model_dir(model_dir):
    if not model_dir or not os.path.exists(model_dir):
        return
    logger.info("Model Directory Contents:")
    tree = walk_path(model_dir)
    for line in itertools.islice(tree, FILE_TREE_LOG_LINE_LIMIT):
        logger.info(line)
    if next(tree, None):
        logger.info(f"Output Truncated. First {FILE_TREE_LOG_LINE_LIMIT} lines shown.")


def walk_path(path, depth=0):
    path = os.path.normpath(path)
    indent = " " * depth * 4
    if os.path.isdir(path):
        yield f"{indent}{os.path.basename(path.rstrip(os.sep))}{os.sep}"
        for child in sorted(os.listdir(path)):
            yield from walk_path(os.path.join(path, child), depth + 1)
    else:
        yield f"{indent}{os.path.basename(path)}"


# --- swagger -------------------------------------------------------------------------------------
# The real server serves the user's swagger file from the app root when there is one, and otherwise
# generates one from its template; for an undecorated run() (the only kind without the
# inference-schema package) ServiceInput and ServiceOutput are {"type": "object", "example": {}}.


def _error_response_ref(version):
    ref = "#/definitions/ErrorResponse" if version == "2" else "#/components/schemas/ErrorResponse"
    return {"$ref": ref}


def _v2_response(description, schema):
    return {"description": description, "schema": schema}


def _v3_response(description, schema, media="application/json"):
    return {"description": description, "content": {media: {"schema": schema}}}


def generated_swagger(version, service_name, service_version, path_prefix):
    """The real server's template filled for an undecorated run(); version is "2", "3" or "3.1"."""
    prefix = f"/{path_prefix.strip('/')}" if path_prefix else ""
    v2 = version == "2"
    respond = _v2_response if v2 else _v3_response
    failed = respond("The service failed to execute due to an error.", _error_response_ref("2" if v2 else "3"))
    schema_ref = "#/definitions/" if v2 else "#/components/schemas/"
    empty = {"type": "object", "example": {}}
    error_response = {"type": "object", "properties": {"message": {"type": "string"}}}
    bearer = {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "description": "For example: Bearer abc123",
    }
    healthy = "If service is up and running, this response will be returned with the content 'Healthy'"
    if v2:
        health_ok = {**_v2_response(healthy, {"type": "string"}), "examples": {"application/json": "Healthy"}}
        version_param = {"name": "version", "in": "query", "required": False, "type": "integer", "enum": [2, 3]}
        swagger_ok = _v2_response("The Swagger specification.", {"type": "string"})
    else:
        health_ok = _v3_response(healthy, {"type": "string", "example": "Healthy"}, "text/plain")
        version_param = {
            "name": "version",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "enum": [2, 3]},
        }
        swagger_ok = _v3_response("The Swagger specification.", {"type": "string"}, "text/plain")
    score = {
        "operationId": "RunMLService",
        "description": "Run web service's model and get the prediction output",
        "security": [{"Bearer": []}],
    }
    input_description = "The input payload for executing the real-time machine learning service."
    if v2:
        score["parameters"] = [
            {
                "name": "serviceInputPayload",
                "in": "body",
                "description": input_description,
                "schema": {"$ref": f"{schema_ref}ServiceInput"},
            }
        ]
    else:
        score["requestBody"] = {
            "description": input_description,
            "content": {"application/json": {"schema": {"$ref": f"{schema_ref}ServiceInput"}}},
        }
    score["responses"] = {
        "200": respond(
            "The service processed the input correctly and provided a result prediction, if applicable.",
            {"$ref": f"{schema_ref}ServiceOutput"},
        ),
        "default": failed,
    }
    paths = {
        f"{prefix}/": {
            "get": {
                "operationId": "ServiceHealthCheck",
                "description": "Simple health check endpoint to ensure the service is up at any given point.",
                "responses": {"200": health_ok, "default": failed},
            }
        },
        f"{prefix}/score": {"post": score},
        f"{prefix}/swagger.json": {
            "get": {
                "operationId": "GetSwaggerSpec",
                "description": "Get the Swagger specification.",
                "parameters": [version_param],
                "responses": {"200": swagger_ok, "default": failed},
            }
        },
    }
    info = {
        "title": service_name,
        "description": f"API specification for the Azure Machine Learning service {service_name}",
        "version": service_version,
    }
    definitions = {"ServiceInput": empty, "ServiceOutput": dict(empty), "ErrorResponse": error_response}
    if v2:
        return {
            "swagger": "2.0",
            "info": info,
            "schemes": ["https"],
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "securityDefinitions": {"Bearer": bearer},
            "paths": paths,
            "definitions": definitions,
        }
    return {
        "openapi": "3.1.0" if version == "3.1" else "3.0.3",
        "info": info,
        "security": [{"Bearer": []}],
        "paths": paths,
        "components": {"schemas": definitions, "securitySchemes": {"Bearer": bearer}},
    }


class Swagger:
    def __init__(self, app_root, service_name, service_version, path_prefix):
        self.by_alias = {}
        for version, aliases, files in (
            ("2", ("2", "2.0"), ("swagger.json", "swagger2.json")),
            ("3", ("3", "3.0"), ("swagger3.json",)),
            ("3.1", ("3.1",), ("swagger3.1.json",)),
        ):
            spec = self._read_user_swagger(app_root, files, version)
            if spec is None:
                spec = generated_swagger(version, service_name, service_version, path_prefix)
            for alias in aliases:
                self.by_alias[alias] = spec
        logger.info(f"Swaggers are prepared for the following versions: [{SUPPORTED_SWAGGER_VERSIONS}].")

    @staticmethod
    def _read_user_swagger(app_root, files, version):
        for name in files:
            path = os.path.join(app_root, name)
            try:
                with open(path, encoding="utf-8") as file:
                    data = json.load(file)
            except FileNotFoundError:
                continue
            logger.info(f"Loaded user's swagger file for version [{version}] from {path}")
            return data
        return None

    def get(self, version):
        """(status, body) for ?version=... (default 2)."""
        if version not in SWAGGER_VERSIONS:
            message = f"Swagger version [{version}] is not valid. Supported versions: [{SUPPORTED_SWAGGER_VERSIONS}]."
            return 404, {"message": message}
        return 200, self.by_alias[version]


# --- run() calls, serialised in the main thread ---------------------------------------------------


class RunCall:
    def __init__(self, data, headers):
        self.data = data
        self.headers = headers
        self.done = threading.Event()
        self.output = None
        self.elapsed_ms = 0.0
        self.error = None


class Scorer:
    def __init__(self, user_script, timeout_ms):
        self.user_script = user_script
        self.timeout_ms = timeout_ms
        self.calls = queue.Queue()

    def score(self, data, headers):
        """From a request thread: waits for the main thread to run it."""
        call = RunCall(data, headers)
        self.calls.put(call)
        call.done.wait()
        return call

    def serve_forever(self):
        while True:
            try:
                call = self.calls.get(timeout=0.5)
            except queue.Empty:
                continue
            start = time.perf_counter()
            try:
                call.output, call.elapsed_ms = self.user_script.invoke_run(call.data, call.headers, self.timeout_ms)
            except (RunTimeout, RunFailed) as error:
                call.error = error
                call.elapsed_ms = (time.perf_counter() - start) * 1000
            finally:
                call.done.set()


# --- HTTP ----------------------------------------------------------------------------------------

METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL."
NOT_FOUND = (
    "The requested URL was not found on the server. If you entered the URL manually please check your "
    "spelling and try again."
)


def json_body(value):
    return json.dumps(value).encode("utf-8")


def get_input_as_json(query):
    """GET /score?a=1&b=x -> '{"a": 1, "b": "x"}' (values parsed as JSON where they are; repeats as lists)."""

    def parse(value):
        try:
            return json.loads(value)
        except ValueError:
            return value

    parsed = {}
    for key, values in parse_qs(query, keep_blank_values=True).items():
        parsed[key] = parse(values[0]) if len(values) == 1 else [parse(v) for v in values]
    return json.dumps(parsed)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"azmlinfsrv/{SERVER_VERSION}"
    scorer = None  # set by serve()
    swagger = None

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_OPTIONS(self):
        self.route()

    def do_PUT(self):
        self.route()

    def do_DELETE(self):
        self.route()

    def do_PATCH(self):
        self.route()

    def log_message(self, format, *args):
        pass  # request lines are logged by route(), in the real server's format

    def route(self):
        self.started = time.perf_counter()
        self.extra_headers = {}
        url = urlsplit(self.path)
        body = self.read_body()
        if body is None:
            return
        if not self.set_request_ids():
            return
        if url.path == "/":
            if self.command != "GET":
                return self.send_error_json(405, METHOD_NOT_ALLOWED)
            return self.send(200, b"Healthy", "text/html; charset=utf-8", aml=False)
        if url.path == "/score":
            return self.handle_score(url, body)
        if url.path == "/swagger.json":
            if self.command != "GET":
                return self.send_error_json(405, METHOD_NOT_ALLOWED)
            version = parse_qs(url.query).get("version", ["2"])[0]
            status, spec = self.swagger.get(version)
            return self.send(status, json_body(spec), "application/json", log=True)
        return self.send_error_json(404, NOT_FOUND)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error_json(400, "Invalid Content-Length")
            return None
        return self.rfile.read(length) if length > 0 else b""

    def set_request_ids(self):
        """The real server's x-request-id / x-ms-request-id / x-ms-client-request-id handling."""
        request_id = self.headers.get("x-request-id") or str(uuid.uuid4())
        if len(request_id) > HEADER_LIMIT:
            self.send_error_json(431, f"x-request-id must not exceed {HEADER_LIMIT} characters")
            return False
        self.extra_headers["x-request-id"] = request_id
        legacy = self.headers.get("x-ms-request-id", "")
        client = self.headers.get("x-ms-client-request-id", "")
        if legacy:
            logger.warning(
                "x-ms-request-id header has been deprecated and will be removed from future versions of the "
                "server. Please use x-ms-client-request-id."
            )
            client = client or legacy
        else:
            legacy = client or request_id
        if len(legacy) > HEADER_LIMIT or len(client) > HEADER_LIMIT:
            self.extra_headers = {"x-request-id": request_id}
            self.send_error_json(
                431, f"x-ms-request-id and x-ms-client-request-id must not exceed {HEADER_LIMIT} characters"
            )
            return False
        self.extra_headers["x-ms-request-id"] = legacy
        if client:
            self.extra_headers["x-ms-client-request-id"] = client
        if "TraceId" in self.headers:
            self.extra_headers["TraceId"] = self.headers["TraceId"]
        return True

    def handle_score(self, url, body):
        exec_ms = 0.0

        def fail(status, message, run_failed=False):
            self.extra_headers["x-ms-run-fn-exec-ms"] = f"{exec_ms:.3f}"
            self.send_error_json(status, message, run_failed=run_failed, log=True)

        if self.command == "OPTIONS":
            return self.send(200, b"", "text/html; charset=utf-8", log=True)
        if self.command == "GET":
            data = get_input_as_json(url.query)
        elif self.command == "POST":
            try:
                data = str(body, "utf-8")
            except UnicodeDecodeError as error:
                return fail(400, f"Input cannot be decoded as UTF-8: {error}")
        else:
            return fail(405, METHOD_NOT_ALLOWED)

        # Named as Flask's request.headers names them (X-Trace), whatever case the client sent.
        call = self.scorer.score(data, {name.title(): value for name, value in self.headers.items()})
        exec_ms = call.elapsed_ms
        if isinstance(call.error, RunTimeout):
            return fail(500, f"Scoring timeout after {call.error.timeout_ms} ms", run_failed=True)
        if call.error is not None:
            message = "An unexpected error occurred in scoring script. Check the logs for more info."
            return fail(500, message, run_failed=True)
        try:
            # The real server JSON-encodes whatever run() returns (a str becomes a JSON string).
            payload = json_body(call.output)
        except Exception:
            logger.error(f"Encountered Exception: {traceback.format_exc()}")
            return fail(500, "An unexpected internal error occurred. Check the logs for more info.")
        self.extra_headers["x-ms-run-fn-exec-ms"] = f"{exec_ms:.3f}"
        self.send(200, payload, "application/json", log=True)

    def send_error_json(self, status, message, run_failed=False, log=False):
        self.send(status, json_body({"message": message}), "application/json", run_failed=run_failed, log=log)

    def send(self, status, payload, content_type, run_failed=False, aml=True, log=False):
        self.send_response_only(status)
        self.send_header("Server", self.server_version)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if aml:
            self.send_header("x-ms-run-function-failed", str(run_failed))
        self.send_header("x-ms-server-version", f"azmlinfsrv/{SERVER_VERSION}")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        if log:  # before the response leaves, as Flask's after_request logs it
            duration_ms = (time.perf_counter() - self.started) * 1000
            logger.info(f"{self.command} {self.path} {status} {duration_ms:0.3f}ms {len(payload)}")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


# --- start ---------------------------------------------------------------------------------------


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Azure ML inference server stand-in (emulator)")
    parser.add_argument("--entry_script", required=True, help="the scoring script (init() and run())")
    parser.add_argument("--app_root", help="the code folder (default: the script's folder)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001, help="0 picks a free port")
    parser.add_argument("--parent_pid", type=int, help="exit when this process is gone")
    return parser.parse_args(argv)


def scoring_timeout_ms():
    raw = os.environ.get("SCORING_TIMEOUT_MS")
    if not raw:
        return DEFAULT_SCORING_TIMEOUT_MS
    try:
        value = int(raw)
    except ValueError:
        raise StartupError(f"SCORING_TIMEOUT_MS must be an integer number of milliseconds, not {raw!r}") from None
    if value <= 0:
        raise StartupError(f"SCORING_TIMEOUT_MS must be positive, not {raw!r}")
    return value


def watch_parent(parent_pid):
    """Exits when the emulator that started this server is gone, even if it was killed."""

    def alive():
        if os.getppid() != parent_pid:
            return False
        try:
            os.kill(parent_pid, 0)
            return True
        except OSError:
            return False

    def loop():
        while alive():
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=loop, name="parent-watchdog", daemon=True).start()


def print_banner(entry_script, model_dir, host, port, timeout_ms):
    print()
    print(f"Azure ML Inferencing HTTP server v{SERVER_VERSION} (aml-emulator stand-in)")
    print()
    print("Server Settings")
    print("---------------")
    print(f"Entry Script Name: {entry_script}")
    print(f"Model Directory: {model_dir}")
    print(f"Server Port: {port}")
    print(f"Scoring Timeout (ms): {timeout_ms}")
    print()
    print("Server Routes")
    print("---------------")
    print(f"Liveness Probe: GET   {host}:{port}/")
    print(f"Score:          POST  {host}:{port}/score")
    print()
    sys.stdout.flush()


def start(args):
    entry_script = os.path.realpath(args.entry_script)
    app_root = os.path.realpath(args.app_root or os.path.dirname(entry_script))
    os.environ["AZUREML_ENTRY_SCRIPT"] = entry_script
    os.environ.setdefault("AML_APP_ROOT", app_root)
    if app_root not in sys.path:
        sys.path.append(app_root)
    model_dir = os.environ.get("AZUREML_MODEL_DIR")
    timeout_ms = scoring_timeout_ms()

    try:
        # Bound before init() (as gunicorn's master does), so a taken port fails fast and port 0 is known.
        server = Server((args.host, args.port), Handler)
    except OSError as error:
        raise StartupError(f"cannot listen on {args.host}:{args.port}: {error}") from None
    host, port = server.server_address[:2]
    print_banner(entry_script, model_dir, host, port, timeout_ms)
    if not model_dir:
        print("The environment variable 'AZUREML_MODEL_DIR' has not been set.")

    user_script = UserScript(entry_script)
    user_script.load()
    user_script.invoke_init(model_dir)

    Handler.scorer = Scorer(user_script, timeout_ms)
    Handler.swagger = Swagger(
        app_root,
        os.environ.get("SERVICE_NAME", "ML service"),
        os.environ.get("SERVICE_VERSION", "1.0"),
        os.environ.get("SERVICE_PATH_PREFIX", ""),
    )
    logger.info(f"Scoring timeout is set to {timeout_ms}")
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    shown_host = f"[{host}]" if ":" in host else host
    logger.info(f"Listening at: http://{shown_host}:{port} ({os.getpid()})")
    return Handler.scorer


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    configure_logging()
    if args.parent_pid:
        watch_parent(args.parent_pid)
    try:
        scorer = start(args)
    except StartupError as error:
        logger.error(f"Server failed to start: {error}")
        sys.stdout.flush()
        return EXIT_BOOT_ERROR
    try:
        scorer.serve_forever()
    except KeyboardInterrupt:
        logger.info("Shutting down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
