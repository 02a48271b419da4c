#!/usr/bin/env python3
"""`npm run lint:template`: cfn-lint on template.yaml, then the SAM transform of every deployment shape, checked.

Offline and non-interactive: cfn-lint and the SAM translator (aws-sam-translator) run in-process
with the managed-policy list cfn-lint bundles, so nothing is fetched from AWS. For each scenario
below the template is transformed with that scenario's parameters, the conditions are evaluated
the way CloudFormation would, and the resulting resources are checked: the REST API's two Lambda
authorizers and the HTTP API's one (payload version, identity sources, simple responses, TTL as an
integer), an authorizer on every route, the routes of config/rules.json, CORS, the gateway
responses, the Lambda permissions and their source ARNs, the demo Cognito resources, and that the
Serverless Application Repository supports every resource type. The transformed template is
linted again for each scenario. Then, once: a new CorsAllowOrigin must reach each API's stage,
bad parameter sets must be refused, and the SAR metadata must be publishable.
Exit status: 0 all good, 1 problems found (each one printed), 2 a tool is missing.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
RULES = ROOT / "config" / "rules.json"
PACKAGE = ROOT / "package.json"
REGION = "us-east-1"
# The translator asks boto3 for a region to pick the partition; give it one so nothing looks further.
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)

try:
    import samtranslator.model.apigateway as sam_apigateway
    from cfnlint.api import ManualArgs, lint, lint_file
    from cfnlint.data import Serverless
    from cfnlint.decode import decode
    from cfnlint.helpers import load_resource
    from samtranslator.translator.transform import transform
except ImportError as err:  # pragma: no cover - depends on the machine
    print(f"validate_template: {err.name} is not installed (pip install cfn-lint aws-sam-translator)", file=sys.stderr)
    sys.exit(2)

NO_VALUE = {"Ref": "AWS::NoValue"}
POOL = "us-east-1_AbC123xyz"
OTHER_POOL = "eu-west-1_XyZ987abc"
CLIENT = "1example23456789abcdefghij"
OTHER_CLIENT = "2example23456789abcdefghij"
API_ID = "abc123defg"
HTTP_API_ID = "h7t9p2a4i6"
ORIGIN = "https://app.example.com"
INLINE_RULES = json.dumps({"routes": [{"route": "GET /pets", "allow": ["authenticated"]}]})
AUTHORIZER_SCHEME = "CognitoRouteAuthorizer"
HEADER_SOURCE = "$request.header.Authorization"
ROUTE_KEY_SOURCE = "$context.routeKey"

# (name, parameter overrides): every condition that changes what is deployed, in each combination
# that matters — demo pool or own pool(s); REST sample, HTTP sample, both, or the authorizer only;
# TOKEN or REQUEST; IAM policies or simple responses; existing APIs allowed to invoke it or not.
SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("demo pool · REST + HTTP (IAM policy) · TOKEN (all defaults)", {}),
    ("demo pool · REST only · REQUEST · cache off", {"DeployMode": "rest", "AuthorizerType": "REQUEST", "AuthorizerResultTtl": "0"}),
    (
        "own pool · REST only · ID tokens · inline rules · stage v1 · one origin · cache 900 s",
        {
            "DeployMode": "rest", "UserPoolId": POOL, "ClientId": CLIENT, "TokenUse": "id", "RouteRules": INLINE_RULES,
            "StageName": "v1", "CorsAllowOrigin": ORIGIN, "AuthorizerResultTtl": "900",
        },
    ),
    ("own pool · HTTP only · IAM policy · cache 3600 s", {"DeployMode": "http", "UserPoolId": POOL, "ClientId": CLIENT, "AuthorizerResultTtl": "3600"}),
    (
        "demo pool · HTTP only · simple responses · cache 60 s · one origin",
        {"DeployMode": "http", "HttpAuthorizerResponse": "simple", "AuthorizerResultTtl": "60", "CorsAllowOrigin": ORIGIN},
    ),
    (
        "own pool · REST + HTTP (simple) · REQUEST · existing REST and HTTP APIs too",
        {
            "UserPoolId": POOL, "ClientId": CLIENT, "AuthorizerType": "REQUEST", "HttpAuthorizerResponse": "simple",
            "ExistingApiId": API_ID, "ExistingHttpApiId": HTTP_API_ID, "AuthorizerResultTtl": "1800",
        },
    ),
    ("demo pool · authorizer only · no API yet", {"DeployMode": "authorizer-only"}),
    ("demo pool · authorizer only · existing REST API", {"DeployMode": "authorizer-only", "ExistingApiId": API_ID}),
    (
        "own pool · authorizer only · existing HTTP API (simple responses)",
        {"DeployMode": "authorizer-only", "UserPoolId": POOL, "ClientId": CLIENT, "ExistingHttpApiId": HTTP_API_ID, "HttpAuthorizerResponse": "simple"},
    ),
    (
        "two own pools · authorizer only · existing REST and HTTP APIs",
        {
            "DeployMode": "authorizer-only",
            "UserPoolId": f"{POOL},{OTHER_POOL}",
            "ClientId": f"{CLIENT},{OTHER_CLIENT}",
            "ExistingApiId": API_ID,
            "ExistingHttpApiId": HTTP_API_ID,
        },
    ),
    ("own pool · authorizer only · no API yet", {"DeployMode": "authorizer-only", "UserPoolId": POOL, "ClientId": CLIENT}),
    (
        "own pools, clients and inline rules at their longest · REST + HTTP (simple)",
        {
            "UserPoolId": ",".join(["eusc-de-east-1_" + "A" * 40, "eusc-de-east-1_" + "B" * 48]),
            "ClientId": ",".join(["a" * 128, "b" * 131]),
            "RouteRules": '"' * 1700,
            "HttpAuthorizerResponse": "simple",
            "LogLevel": "DEBUG",
        },
    ),
]

# Parameter sets CloudFormation must refuse (AllowedPattern, AllowedValues, MaxLength or the Rules section).
REFUSED: list[tuple[str, dict[str, str]]] = [
    ("a user pool without a client id", {"UserPoolId": POOL}),
    ("a client id without a user pool", {"ClientId": CLIENT}),
    ("a REST API id that is not one", {"ExistingApiId": "my-api"}),
    ("an HTTP API id that is not one", {"ExistingHttpApiId": "MyHttpApi1"}),
    ("a user pool id without its region", {"UserPoolId": "AbC123", "ClientId": CLIENT}),
    ("the 0.1 deploy mode 'full'", {"DeployMode": "full"}),
    ("an authorizer type that does not exist", {"AuthorizerType": "COGNITO_USER_POOLS"}),
    ("an HTTP response kind that does not exist", {"HttpAuthorizerResponse": "boolean"}),
    ("a cache TTL above API Gateway's maximum", {"AuthorizerResultTtl": "7200"}),
    ("a cache TTL not in the list", {"AuthorizerResultTtl": "120"}),
    ("inline rules longer than RouteRules' MaxLength", {"RouteRules": json.dumps({"routes": [], "pad": "x" * 1700})}),
    ("inline rules with a character outside printable ASCII", {"RouteRules": '{"routes":[{"route":"GET /caf\u00e9","allow":["authenticated"]}]}'}),
    ("more user pool ids than UserPoolId's MaxLength", {"UserPoolId": ",".join([POOL] * 7), "ClientId": CLIENT}),
    ("more client ids than ClientId's MaxLength", {"UserPoolId": POOL, "ClientId": ",".join(["c" * 128] * 3)}),
]

# What the TOKEN authorizer's validation expression must let through to the authorizer, and what not.
VALID_CREDENTIALS = ["Bearer aaa.bbb.ccc", "bearer a-b.c_d.e", "BEARER  x.y.z", "aaa.bbb.ccc"]
INVALID_CREDENTIALS = ["Basic dXNlcjpwYXNz", "Bearer aaa.bbb", "Bearer", "Bearer a.b.c d", "Bearer a.b.c.d", ""]

LAMBDA_ENV_LIMIT = 4096
AUTHORIZER_ENV = [
    "USER_POOL_IDS", "CLIENT_IDS", "TOKEN_USE", "ROUTE_RULES", "SIMPLE_RESPONSES", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL",
]

# Resource types the AWS Serverless Application Repository supports, among those this template
# can produce: "List of Supported AWS Resources" (awsdocs/aws-serverlessrepo-developer-guide,
# doc_source/list-supported-resources.md, last revision 5e8664b, 2021-02-08; the live page at
# https://docs.aws.amazon.com/serverlessrepo/latest/devguide/list-supported-resources.html lists the same).
SAR_SUPPORTED = {
    "AWS::ApiGateway::Deployment", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage",
    "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage",
    "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup", "AWS::Cognito::UserPoolResourceServer",
    "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Lambda::Permission",
    "AWS::Logs::LogGroup", "AWS::Logs::MetricFilter",
}
# The SAR's constraints on the application metadata (same guide, doc_source/applications.md).
SAR_NAME = re.compile(r"[a-zA-Z0-9-]{1,140}")
SAR_AUTHOR = re.compile(r"[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?")
SAR_LABEL = re.compile(r"[a-zA-Z0-9+\-_:/@]{1,127}")
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
PLACEHOLDER = "your-org"


class ManagedPolicies:
    """The translator's managed-policy loader, answered from the list cfn-lint ships (no IAM call)."""

    def load(self) -> dict[str, str]:
        return load_resource(Serverless, "ManagedPolicies.json")


class Problems:
    """Collects what is wrong, per scenario, so one run shows everything."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.scope = ""

    def check(self, ok: bool, message: str) -> bool:
        if not ok:
            self.items.append(f"{self.scope}: {message}" if self.scope else message)
        return ok


# ---------------------------------------------------------------- CloudFormation, evaluated locally


def parameter_values(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    """Defaults overlaid with the scenario's values, as strings (how CloudFormation passes them)."""
    values = {name: str(spec.get("Default", "")) for name, spec in template["Parameters"].items()}
    values.update(overrides)
    return values


def parameter_errors(template: dict[str, Any], values: dict[str, str]) -> list[str]:
    """What CloudFormation would refuse: AllowedValues, AllowedPattern, Min/MaxLength, Min/MaxValue, Rules."""
    errors = []
    for name, spec in template["Parameters"].items():
        value = values[name]
        if "AllowedValues" in spec and value not in [str(v) for v in spec["AllowedValues"]]:
            errors.append(f"{name}={value!r} is not one of {spec['AllowedValues']}")
        if "AllowedPattern" in spec and re.fullmatch(spec["AllowedPattern"], value) is None:
            errors.append(f"{name}={value[:60]!r} does not match {spec['AllowedPattern']}")
        if "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
            errors.append(f"{name} is {len(value)} characters, above MaxLength {spec['MaxLength']}")
        if "MinLength" in spec and len(value) < int(spec["MinLength"]):
            errors.append(f"{name} is {len(value)} characters, below MinLength {spec['MinLength']}")
        if spec.get("Type") == "Number":
            if not re.fullmatch(r"-?\d+(\.\d+)?", value):
                errors.append(f"{name}={value!r} is not a number")
            else:
                if "MinValue" in spec and float(value) < float(spec["MinValue"]):
                    errors.append(f"{name}={value} is below {spec['MinValue']}")
                if "MaxValue" in spec and float(value) > float(spec["MaxValue"]):
                    errors.append(f"{name}={value} is above {spec['MaxValue']}")
    for rule_name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not evaluate(rule["RuleCondition"], values, {}):
            continue
        for assertion in rule.get("Assertions", []):
            if not evaluate(assertion["Assert"], values, {}):
                errors.append(f"rule {rule_name}: {assertion.get('AssertDescription', 'assertion fails')}")
    return errors


def evaluate(expr: Any, params: dict[str, str], conditions: dict[str, Any]) -> Any:
    """Evaluates condition and rule functions (Equals, Not, And, Or, Condition, Ref to a parameter)."""
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Fn::Equals":
            return str(evaluate(arg[0], params, conditions)) == str(evaluate(arg[1], params, conditions))
        if fn == "Fn::Not":
            return not evaluate(arg[0], params, conditions)
        if fn == "Fn::And":
            return all(evaluate(a, params, conditions) for a in arg)
        if fn == "Fn::Or":
            return any(evaluate(a, params, conditions) for a in arg)
        if fn == "Condition":
            return evaluate(conditions[arg], params, conditions)
        if fn == "Ref" and arg in params:
            return params[arg]
        raise ValueError(f"cannot evaluate {fn} here")
    return expr


def active_conditions(template: dict[str, Any], params: dict[str, str]) -> dict[str, bool]:
    conditions = template.get("Conditions", {})
    return {name: bool(evaluate(expr, params, conditions)) for name, expr in conditions.items()}


def resolve(value: Any, conditions: dict[str, bool], params: dict[str, str]) -> Any:
    """Picks Fn::If branches, drops AWS::NoValue and inlines Refs to parameters, like CloudFormation."""
    if isinstance(value, dict):
        if len(value) == 1 and "Fn::If" in value:
            name, yes, no = value["Fn::If"]
            return resolve(yes if conditions[name] else no, conditions, params)
        if len(value) == 1 and "Ref" in value and value["Ref"] in params:
            return params[value["Ref"]]
        out = {}
        for k, v in value.items():
            r = resolve(v, conditions, params)
            if r != NO_VALUE:
                out[k] = r
        return out
    if isinstance(value, list):
        return [r for r in (resolve(v, conditions, params) for v in value) if r != NO_VALUE]
    return value


def deployed(transformed: dict[str, Any], params: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The resources and outputs CloudFormation would create for these parameters, resolved."""
    conditions = active_conditions(transformed, params)
    keep = lambda item: "Condition" not in item or conditions[item["Condition"]]  # noqa: E731
    resources = {k: resolve(v, conditions, params) for k, v in transformed["Resources"].items() if keep(v)}
    outputs = {k: resolve(v, conditions, params) for k, v in transformed.get("Outputs", {}).items() if keep(v)}
    return resources, outputs


def sam_input(template: dict[str, Any]) -> dict[str, Any]:
    """The template with local CodeUri values replaced by an S3 location (what `sam deploy` uploads)."""
    t = copy.deepcopy(template)
    fn_globals = t.get("Globals", {}).get("Function", {})
    if isinstance(fn_globals.get("CodeUri"), str):
        fn_globals["CodeUri"] = "s3://sam-artifacts-bucket/code.zip"
    for res in t["Resources"].values():
        if res.get("Type") == "AWS::Serverless::Function" and isinstance(res["Properties"].get("CodeUri"), str):
            res["Properties"]["CodeUri"] = "s3://sam-artifacts-bucket/code.zip"
    return t


def translate(template: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
    return transform(sam_input(template), dict(params), ManagedPolicies())


# ---------------------------------------------------------------- what each deployment must contain


def rule_routes() -> set[str]:
    """`METHOD /path` of every rule, as the API must serve them."""
    routes = set()
    for rule in json.loads(RULES.read_text())["routes"]:
        method, path = rule["route"].split(None, 1)
        routes.add(f"{method.upper()} {path.strip()}")
    return routes


def operations(body: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) of an OpenAPI body; x-amazon-apigateway-any-method is ANY."""
    found = []
    for path, item in body.get("paths", {}).items():
        for verb, operation in item.items():
            if verb == "parameters":
                continue
            found.append(("ANY" if verb == "x-amazon-apigateway-any-method" else verb.upper(), path, operation))
    return found


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


def refers_to(value: Any, logical_id: str) -> bool:
    """True when the (resolved) value mentions the resource: Ref, GetAtt or ${Name...} in a Sub."""
    text = json.dumps(value)
    return f'"Ref": "{logical_id}"' in text or f'["{logical_id}", "Arn"]' in text or f"${{{logical_id}" in text


def is_proxy_to_backend(integration: dict[str, Any]) -> bool:
    return integration.get("type") == "aws_proxy" and integration.get("httpMethod") == "POST" and refers_to(integration.get("uri"), "BackendFunction")


def ttl_of(params: dict[str, str]) -> int:
    return int(params["AuthorizerResultTtl"])


def check_ttl(p: Problems, where: str, value: Any, params: dict[str, str]) -> None:
    """The TTL as the OpenAPI extension's examples write it: an integer, the parameter's value."""
    p.check(type(value) is int and value == ttl_of(params),
            f"{where} TTL is {value!r} ({type(value).__name__}), not the integer {ttl_of(params)}")


def check_authorizer_function(p: Problems, resources: dict[str, Any], params: dict[str, str], demo: bool) -> None:
    fn = resources.get("AuthorizerFunction")
    if not p.check(fn is not None and fn["Type"] == "AWS::Lambda::Function", "AuthorizerFunction is missing"):
        return
    props = fn["Properties"]
    p.check(props.get("Runtime") == "nodejs22.x", f"authorizer runtime is {props.get('Runtime')}, not nodejs22.x")
    p.check(props.get("Architectures") == ["arm64"], "authorizer is not arm64")
    p.check(props.get("TracingConfig", {}).get("Mode") == "Active", "authorizer tracing is not Active")
    p.check(props.get("Handler") == "handler.handler", "authorizer handler is not handler.handler")
    p.check(3 <= int(props.get("Timeout", 3)) <= 10, "authorizer timeout should be 3-10 s (JWKS fetches are bounded at ~2 s)")
    env = props.get("Environment", {}).get("Variables", {})
    missing = [name for name in AUTHORIZER_ENV if name not in env]
    p.check(not missing, f"authorizer environment lacks {missing}")
    if demo:
        p.check(env.get("USER_POOL_IDS") == {"Ref": "DemoUserPool"}, "USER_POOL_IDS is not the demo pool")
        p.check(refers_to(env.get("CLIENT_IDS"), "DemoUserClient") and refers_to(env.get("CLIENT_IDS"), "DemoMachineClient"),
                "CLIENT_IDS does not name both demo clients")
    else:
        p.check(env.get("USER_POOL_IDS") == params["UserPoolId"], "USER_POOL_IDS is not the UserPoolId parameter")
        p.check(env.get("CLIENT_IDS") == params["ClientId"], "CLIENT_IDS is not the ClientId parameter")
    p.check(env.get("TOKEN_USE") == params["TokenUse"], "TOKEN_USE is not the TokenUse parameter")
    simple = "true" if params["HttpAuthorizerResponse"] == "simple" else "false"
    p.check(env.get("SIMPLE_RESPONSES") == simple, f"SIMPLE_RESPONSES is {env.get('SIMPLE_RESPONSES')!r}, not {simple!r}")
    p.check("NODE_OPTIONS" not in env, "NODE_OPTIONS is set: source maps or other flags slow every cold start")
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"):
        p.check(env.get(name, "") == "", f"{name} is set: a deployed authorizer must fetch JWKS from Cognito itself")
    p.check(env.get("ROUTE_RULES") == params["RouteRules"], "ROUTE_RULES is not the RouteRules parameter")
    if all(isinstance(v, str) for v in env.values()):
        # Lambda measures the JSON of all variables ("String measured: {...}" in its error).
        size = len(json.dumps(env, separators=(",", ":")).encode("utf-8"))
        p.check(size <= LAMBDA_ENV_LIMIT, f"the authorizer's environment is {size} bytes as JSON, above Lambda's {LAMBDA_ENV_LIMIT}")


def check_backend(p: Problems, resources: dict[str, Any], params: dict[str, str]) -> None:
    fn = resources.get("BackendFunction")
    if not p.check(fn is not None and fn["Type"] == "AWS::Lambda::Function", "BackendFunction is missing"):
        return
    env = fn["Properties"].get("Environment", {}).get("Variables", {})
    p.check(env.get("CORS_ALLOW_ORIGIN") == params["CorsAllowOrigin"], "the backend's CORS_ALLOW_ORIGIN is not CorsAllowOrigin")
    p.check("BackendLogGroup" in resources, "no BackendLogGroup")


def check_api_permission(p: Problems, permissions: dict[str, Any], name: str, function: str, arn_suffix: str) -> None:
    """A permission for API Gateway to invoke `function`, from exactly the ARN that ends in `arn_suffix`."""
    props = permissions.get(name, {}).get("Properties", {})
    arn = json.dumps(props.get("SourceArn"))
    p.check(props.get("Principal") == "apigateway.amazonaws.com" and refers_to(props.get("FunctionName"), function)
            and props.get("Action") == "lambda:InvokeFunction", f"{name} does not let API Gateway invoke {function}")
    # SAM writes its own permissions with the partition resolved ("arn:aws:"), this template with ${AWS::Partition}.
    scoped = re.search(r'"arn:(aws|\$\{AWS::Partition\}):execute-api:\$\{AWS::Region\}:\$\{AWS::AccountId\}:' + re.escape(arn_suffix) + '"', arn)
    p.check(scoped is not None, f"{name} is not scoped to {arn_suffix}: {arn}")


def check_rest_sample(p: Problems, resources: dict[str, Any], outputs: dict[str, Any], params: dict[str, str]) -> str:
    apis = of_type(resources, "AWS::ApiGateway::RestApi")
    if not p.check(list(apis) == ["PetsApi"], f"expected one REST API, PetsApi; found {sorted(apis)}"):
        return "no REST API"
    body = apis["PetsApi"]["Properties"]["Body"]
    schemes = body.get("components", {}).get("securitySchemes") or body.get("securityDefinitions") or {}

    token = schemes.get("TOKEN", {})
    token_auth = token.get("x-amazon-apigateway-authorizer", {})
    p.check(token.get("x-amazon-apigateway-authtype") == "custom", "TOKEN authorizer is not CUSTOM")
    p.check(token_auth.get("type") == "token", "TOKEN authorizer is not of type token")
    p.check(token.get("in") == "header" and token.get("name") == "Authorization", "TOKEN authorizer does not read the Authorization header")
    check_ttl(p, "TOKEN authorizer", token_auth.get("authorizerResultTtlInSeconds"), params)
    p.check(refers_to(token_auth.get("authorizerUri"), "AuthorizerFunction"), "TOKEN authorizer does not invoke AuthorizerFunction")
    expression = token_auth.get("identityValidationExpression", "")
    for credential in VALID_CREDENTIALS:
        p.check(re.fullmatch(expression, credential) is not None, f"validation expression refuses {credential!r}")
    for credential in INVALID_CREDENTIALS:
        p.check(re.fullmatch(expression, credential) is None, f"validation expression lets {credential!r} through")

    request = schemes.get("REQUEST", {})
    request_auth = request.get("x-amazon-apigateway-authorizer", {})
    p.check(request.get("x-amazon-apigateway-authtype") == "custom", "REQUEST authorizer is not CUSTOM")
    p.check(request_auth.get("type") == "request", "REQUEST authorizer is not of type request")
    p.check(request_auth.get("identitySource") == "method.request.header.Authorization",
            "REQUEST authorizer's identity source is not the Authorization header")
    check_ttl(p, "REQUEST authorizer", request_auth.get("authorizerResultTtlInSeconds"), params)
    p.check(refers_to(request_auth.get("authorizerUri"), "AuthorizerFunction"), "REQUEST authorizer does not invoke AuthorizerFunction")

    chosen = params["AuthorizerType"]
    routes: set[str] = set()
    for method, path, operation in operations(body):
        integration = operation.get("x-amazon-apigateway-integration", {})
        if method == "OPTIONS":
            # CORS preflight: answered by API Gateway itself, never reaching the backend.
            headers = next(iter(integration.get("responses", {}).values()), {}).get("responseParameters", {})
            p.check(integration.get("type") == "mock" and "security" not in operation,
                    f"OPTIONS {path} is not a credential-free mock preflight")
            p.check(json.dumps(headers.get("method.response.header.Access-Control-Allow-Origin")) == json.dumps({"Fn::Sub": "'${CorsAllowOrigin}'"}),
                    f"OPTIONS {path} does not answer Access-Control-Allow-Origin from CorsAllowOrigin")
            continue
        routes.add(f"{method} {path}")
        p.check(operation.get("security") == [{chosen: []}], f"REST {method} {path} is not protected by the {chosen} authorizer")
        p.check(is_proxy_to_backend(integration), f"REST {method} {path} is not a Lambda proxy integration to BackendFunction")
    wanted = rule_routes()
    p.check(routes == wanted, f"REST routes and config/rules.json differ: only API {sorted(routes - wanted)}, only rules {sorted(wanted - routes)}")
    preflights = {path for method, path, _ in operations(body) if method == "OPTIONS"}
    p.check(preflights == {path for path in body.get("paths", {})}, "not every REST path has a CORS preflight")

    responses = body.get("x-amazon-apigateway-gateway-responses", {})
    for kind, status, extra in [("UNAUTHORIZED", "401", {"WWW-Authenticate": "'Bearer'"}), ("ACCESS_DENIED", "403", {}),
                                ("DEFAULT_4XX", None, {}), ("DEFAULT_5XX", None, {})]:
        response = responses.get(kind, {})
        headers = response.get("responseParameters", {})
        if status:
            p.check(str(response.get("statusCode")) == status, f"gateway response {kind} is not {status}")
        p.check("application/json" in response.get("responseTemplates", {}), f"gateway response {kind} has no JSON body")
        p.check(headers.get("gatewayresponse.header.Access-Control-Allow-Origin") == {"Fn::Sub": "'${CorsAllowOrigin}'"},
                f"gateway response {kind} does not answer Access-Control-Allow-Origin from CorsAllowOrigin")
        for header, value in extra.items():
            p.check(headers.get(f"gatewayresponse.header.{header}") == value, f"gateway response {kind} lacks {header}: {value}")

    permissions = of_type(resources, "AWS::Lambda::Permission")
    for name in ("TOKEN", "REQUEST"):
        check_api_permission(p, permissions, f"PetsApi{name}AuthorizerPermission", "AuthorizerFunction", "${__ApiId__}/authorizers/*")
    check_api_permission(p, permissions, "RestApiBackendPermission", "BackendFunction", "${PetsApi}/*")

    stages = of_type(resources, "AWS::ApiGateway::Stage")
    p.check([s["Properties"].get("StageName") for s in stages.values()] == [params["StageName"]],
            f"expected exactly the stage {params['StageName']}, found {[s['Properties'].get('StageName') for s in stages.values()]}")
    deployments = of_type(resources, "AWS::ApiGateway::Deployment")
    p.check(len(deployments) == 1 and all(s["Properties"].get("DeploymentId") == {"Ref": next(iter(deployments))} for s in stages.values()),
            "the REST stage does not point at the one deployment")
    for name in ("ApiUrl", "RestApiId", "AuthorizerInUse"):
        p.check(name in outputs, f"no {name} output")
    return f"REST: {len(routes)} routes ({chosen}), TTL {ttl_of(params)}"


def check_http_sample(p: Problems, resources: dict[str, Any], outputs: dict[str, Any], params: dict[str, str]) -> str:
    apis = of_type(resources, "AWS::ApiGatewayV2::Api")
    if not p.check(list(apis) == ["PetsHttpApi"], f"expected one HTTP API, PetsHttpApi; found {sorted(apis)}"):
        return "no HTTP API"
    body = apis["PetsHttpApi"]["Properties"].get("Body", {})
    simple = params["HttpAuthorizerResponse"] == "simple"

    scheme = body.get("components", {}).get("securitySchemes", {}).get(AUTHORIZER_SCHEME, {})
    auth = scheme.get("x-amazon-apigateway-authorizer", {})
    p.check(list(body.get("components", {}).get("securitySchemes", {})) == [AUTHORIZER_SCHEME],
            f"the HTTP API should have exactly one authorizer, {AUTHORIZER_SCHEME}")
    p.check(auth.get("type") == "request", "HTTP authorizer is not a Lambda REQUEST authorizer")
    p.check(auth.get("authorizerPayloadFormatVersion") == "2.0", f"HTTP authorizer payload is {auth.get('authorizerPayloadFormatVersion')!r}, not '2.0'")
    sources = [HEADER_SOURCE, ROUTE_KEY_SOURCE] if simple else [HEADER_SOURCE]
    p.check(auth.get("identitySource") == sources, f"HTTP authorizer identity sources are {auth.get('identitySource')}, not {sources}")
    p.check(auth.get("enableSimpleResponses") is simple, f"HTTP authorizer enableSimpleResponses is {auth.get('enableSimpleResponses')!r}, not {simple}")
    check_ttl(p, "HTTP authorizer", auth.get("authorizerResultTtlInSeconds"), params)
    p.check(refers_to(auth.get("authorizerUri"), "AuthorizerFunction") and ":lambda:path/2015-03-31/functions/" in json.dumps(auth.get("authorizerUri")),
            "HTTP authorizer does not invoke AuthorizerFunction")

    routes: set[str] = set()
    preflights: set[str] = set()
    for method, path, operation in operations(body):
        integration = operation.get("x-amazon-apigateway-integration", {})
        p.check(is_proxy_to_backend(integration) and integration.get("payloadFormatVersion") == "2.0",
                f"HTTP {method} {path} is not a Lambda proxy integration (payload 2.0) to BackendFunction")
        if method == "OPTIONS" and "security" not in operation:
            preflights.add(path)
            continue
        routes.add(f"{method} {path}")
        p.check(operation.get("security") == [{AUTHORIZER_SCHEME: []}], f"HTTP {method} {path} is not protected by {AUTHORIZER_SCHEME}")
    wanted = rule_routes()
    p.check(routes == wanted, f"HTTP routes and config/rules.json differ: only API {sorted(routes - wanted)}, only rules {sorted(wanted - routes)}")
    # An ANY route also catches the browser's preflight (it carries no token), so each path with an
    # ANY route needs an OPTIONS route without authorizer; other paths get API Gateway's own answer.
    any_paths = {route.split(" ", 1)[1] for route in routes if route.startswith("ANY ")}
    p.check(preflights == any_paths, f"credential-free OPTIONS routes {sorted(preflights)} should be exactly the ANY paths {sorted(any_paths)}")

    cors = body.get("x-amazon-apigateway-cors", {})
    p.check(cors.get("allowOrigins") == [params["CorsAllowOrigin"]], f"HTTP CORS origins are {cors.get('allowOrigins')}, not [{params['CorsAllowOrigin']}]")
    p.check({h.lower() for h in cors.get("allowHeaders", [])} >= {"authorization", "content-type"}, "HTTP CORS does not allow the Authorization header")
    p.check(set(cors.get("allowMethods", [])) >= {"GET", "POST", "DELETE", "OPTIONS"}, "HTTP CORS does not allow the API's methods")
    p.check(not cors.get("allowCredentials"), "HTTP CORS allows credentials (cookies); bearer tokens need none")

    stages = of_type(resources, "AWS::ApiGatewayV2::Stage")
    stage = next(iter(stages.values()), {}).get("Properties", {})
    p.check(len(stages) == 1 and stage.get("StageName") == "$default" and stage.get("AutoDeploy") is True,
            "the HTTP API should have one $default stage with AutoDeploy")
    throttle = stage.get("DefaultRouteSettings", {})
    p.check(throttle.get("ThrottlingRateLimit") and throttle.get("ThrottlingBurstLimit"), "the HTTP API's stage is not throttled")

    permissions = of_type(resources, "AWS::Lambda::Permission")
    check_api_permission(p, permissions, "HttpApiAuthorizerPermission", "AuthorizerFunction", "${PetsHttpApi}/authorizers/*")
    check_api_permission(p, permissions, "HttpApiBackendPermission", "BackendFunction", "${PetsHttpApi}/*")
    for name in ("HttpApiUrl", "HttpApiId"):
        p.check(name in outputs, f"no {name} output")
    kind = "simple" if simple else "IAM policy"
    return f"HTTP: {len(routes)} routes ({kind}, identity {'+routeKey' if simple else 'header'}), {len(preflights)} preflight route"


def check_demo_cognito(p: Problems, resources: dict[str, Any], outputs: dict[str, Any]) -> None:
    pool = resources.get("DemoUserPool", {}).get("Properties", {})
    tenant = [a for a in pool.get("Schema", []) if a.get("Name") == "tenant_id"]
    p.check(len(tenant) == 1 and tenant[0].get("AttributeDataType") == "String" and tenant[0].get("Mutable") is True
            and str(tenant[0].get("StringAttributeConstraints", {}).get("MaxLength")) == "128",
            "the demo pool lacks a mutable String custom attribute tenant_id of at most 128 characters (custom:tenant_id)")
    groups = {v["Properties"]["GroupName"] for v in of_type(resources, "AWS::Cognito::UserPoolGroup").values()}
    p.check(groups == {"admins", "readers", "suspended"}, f"demo groups are {sorted(groups)}")
    servers = list(of_type(resources, "AWS::Cognito::UserPoolResourceServer").values())
    scopes = {s["ScopeName"] for srv in servers for s in srv["Properties"].get("Scopes", [])}
    p.check(len(servers) == 1 and servers[0]["Properties"]["Identifier"] == "pets" and scopes == {"read", "write"},
            "demo resource server is not pets with read and write")
    clients = of_type(resources, "AWS::Cognito::UserPoolClient")
    user = clients.get("DemoUserClient", {}).get("Properties", {})
    p.check(set(user.get("ExplicitAuthFlows", [])) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
            and user.get("GenerateSecret") is False, "demo user client: password/SRP/refresh flows and no secret")
    machine = clients.get("DemoMachineClient", {}).get("Properties", {})
    p.check(machine.get("AllowedOAuthFlows") == ["client_credentials"] and set(machine.get("AllowedOAuthScopes", [])) == {"pets/read", "pets/write"}
            and machine.get("GenerateSecret") is True, "demo machine client: client_credentials with pets/read pets/write and a secret")
    p.check(len(of_type(resources, "AWS::Cognito::UserPoolDomain")) == 1, "no demo user pool domain (token endpoint)")
    for name in ("UserPoolId", "UserClientId", "MachineClientId", "TokenEndpoint"):
        p.check(name in outputs, f"no {name} output")


def check_existing_api(p: Problems, resources: dict[str, Any], params: dict[str, str], name: str, parameter: str) -> str | None:
    """The permission for an existing API: present, scoped to that API's authorizers, exactly when its id is given."""
    if params[parameter]:
        check_api_permission(p, of_type(resources, "AWS::Lambda::Permission"), name, "AuthorizerFunction", f"${{{parameter}}}/authorizers/*")
        return f"{parameter} {params[parameter]}'s authorizers"
    p.check(name not in resources, f"{name} exists without {parameter}")
    return None


def check_scenario(p: Problems, template: dict[str, Any], overrides: dict[str, str]) -> str:
    params = parameter_values(template, overrides)
    refused = parameter_errors(template, params)
    if not p.check(not refused, f"the scenario's parameters are refused: {refused}"):
        return "refused"
    transformed = translate(template, params)
    resources, outputs = deployed(transformed, params)
    demo = params["UserPoolId"] == ""
    rest = params["DeployMode"] in ("both", "rest")
    http = params["DeployMode"] in ("both", "http")
    check_authorizer_function(p, resources, params, demo)
    p.check(refers_to(outputs.get("AuthorizerFunctionArn"), "AuthorizerFunction"), "no AuthorizerFunctionArn output")
    p.check(outputs.get("HttpAuthorizerResponse", {}).get("Value") == params["HttpAuthorizerResponse"], "no HttpAuthorizerResponse output")
    uri = json.dumps(outputs.get("AuthorizerInvokeUri"))
    p.check(":apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthorizerFunction.Arn}/invocations" in uri,
            "AuthorizerInvokeUri is not API Gateway's Lambda invocation URI")

    summary = []
    if rest:
        summary.append(check_rest_sample(p, resources, outputs, params))
    else:
        p.check(not of_type(resources, "AWS::ApiGateway::RestApi"), "a REST API exists without the REST sample")
        p.check("ApiUrl" not in outputs and "RestApiId" not in outputs, "REST outputs without the REST sample")
    if http:
        summary.append(check_http_sample(p, resources, outputs, params))
    else:
        p.check(not of_type(resources, "AWS::ApiGatewayV2::Api"), "an HTTP API exists without the HTTP sample")
        p.check("HttpApiUrl" not in outputs and "HttpApiId" not in outputs, "HTTP outputs without the HTTP sample")
    if rest or http:
        check_backend(p, resources, params)
    else:
        p.check("BackendFunction" not in resources, "authorizer-only still creates the backend")
        summary.append("no sample API")
    backend_users = {k for k, v in of_type(resources, "AWS::Lambda::Permission").items() if refers_to(v["Properties"].get("FunctionName"), "BackendFunction")}
    expected_users = ({"RestApiBackendPermission"} if rest else set()) | ({"HttpApiBackendPermission"} if http else set())
    p.check(backend_users == expected_users, f"backend permissions are {sorted(backend_users)}, expected {sorted(expected_users)}")

    for name, parameter in (("ExistingApiAuthorizerPermission", "ExistingApiId"), ("ExistingHttpApiAuthorizerPermission", "ExistingHttpApiId")):
        granted = check_existing_api(p, resources, params, name, parameter)
        if granted:
            summary.append(f"permission for {granted}")

    demo_resources = [k for k in resources if k.startswith("Demo")]
    if demo:
        check_demo_cognito(p, resources, outputs)
        summary.append(f"demo Cognito ({len(demo_resources)} resources)")
    else:
        p.check(not demo_resources, f"an own pool still creates {demo_resources}")
        p.check(outputs.get("UserPoolId", {}).get("Value") == params["UserPoolId"], "UserPoolId output is not the given pool")
        summary.append("own pool")

    unsupported = sorted({v["Type"] for v in resources.values()} - SAR_SUPPORTED)
    p.check(not unsupported, f"resource types the Serverless Application Repository does not list: {unsupported}")

    # W2001 (parameter not used): SAM inlines the parameters it reads in Auth and CorsConfiguration.
    matches = lint(json.dumps(transformed), config=ManualArgs(regions=[REGION], ignore_checks=["W2001"]))
    for m in matches:
        level = "error" if m.rule.id.startswith("E") else "warning"
        if level == "error":
            p.check(False, f"cfn-lint on the transformed template: {m.rule.id} {m.message} (line {m.linenumber})")
        else:
            print(f"  warning (transformed): {m.rule.id} {m.message}")
    return f"{len(resources)} resources: " + "; ".join(summary)


# ---------------------------------------------------------------- checks made once


def deployment_ids(template: dict[str, Any], origin: str, at: float) -> tuple[list[str], list[Any]]:
    """The REST sample's Deployment logical ids and the stages' DeploymentIds after a stack update at `at`."""
    params = parameter_values(template, {"DeployMode": "rest", "CorsAllowOrigin": origin})
    with mock.patch.object(sam_apigateway.time, "time", return_value=at):
        resources, _ = deployed(translate(template, params), params)
    stages = [s["Properties"]["DeploymentId"] for s in of_type(resources, "AWS::ApiGateway::Stage").values()]
    return sorted(of_type(resources, "AWS::ApiGateway::Deployment")), stages


def check_cors_origin_redeploys(p: Problems, template: dict[str, Any]) -> str:
    """A new CorsAllowOrigin reaches both stages: a new REST deployment, and an HTTP API body that differs."""
    first, second = "*", ORIGIN
    now = time.time()
    # Two stack updates a minute apart, the second with a new origin (AlwaysDeploy hashes the time).
    ids_before, stages_before = deployment_ids(template, first, now)
    ids_after, stages_after = deployment_ids(template, second, now + 60)
    p.check(len(ids_before) == 1 and len(ids_after) == 1 and ids_before != ids_after,
            f"a new CorsAllowOrigin keeps the REST deployment {ids_before} → {ids_after}: preflights and gateway responses keep the old origin")
    p.check(stages_after == [{"Ref": ids_after[0]}] if ids_after else False, "the REST stage does not move to the new deployment")
    # The control: without AlwaysDeploy SAM keeps the deployment, which is the problem being fixed.
    without = copy.deepcopy(template)
    without["Resources"]["PetsApi"]["Properties"].pop("AlwaysDeploy", None)
    control_before, _ = deployment_ids(without, first, now)
    control_after, _ = deployment_ids(without, second, now + 60)
    p.check(control_before == control_after, "without AlwaysDeploy the deployment id changes with the origin: the check no longer tests anything")
    p.check(template["Resources"]["PetsApi"]["Properties"].get("AlwaysDeploy") is True, "PetsApi lacks AlwaysDeploy: true")

    # HTTP API: SAM resolves CorsConfiguration, so the origin is literal in the body; the $default
    # stage auto-deploys every change of the API.
    bodies = []
    for origin in (first, second):
        params = parameter_values(template, {"DeployMode": "http", "CorsAllowOrigin": origin})
        resources, _ = deployed(translate(template, params), params)
        bodies.append(resources["PetsHttpApi"]["Properties"]["Body"].get("x-amazon-apigateway-cors", {}).get("allowOrigins"))
    p.check(bodies == [[first], [second]], f"the HTTP API body does not carry the origin itself: {bodies}")
    return f"REST deployment {ids_before[0] if ids_before else '?'} → {ids_after[0] if ids_after else '?'} (control without AlwaysDeploy: {control_before} both times); HTTP body origins {bodies}"


def check_sar_metadata(p: Problems, template: dict[str, Any]) -> str:
    """The AWS::ServerlessRepo::Application metadata: what `sam publish` needs and the SAR accepts."""
    app = template.get("Metadata", {}).get("AWS::ServerlessRepo::Application", {})
    package = json.loads(PACKAGE.read_text())
    p.check(isinstance(app.get("Name"), str) and SAR_NAME.fullmatch(app["Name"]) is not None, f"SAR Name {app.get('Name')!r} is not [a-zA-Z0-9-]{{1,140}}")
    p.check(isinstance(app.get("Description"), str) and 1 <= len(app["Description"]) <= 256, "SAR Description must be 1-256 characters")
    p.check(isinstance(app.get("Author"), str) and len(app["Author"]) <= 127 and SAR_AUTHOR.fullmatch(app["Author"]) is not None,
            f"SAR Author {app.get('Author')!r} is not lowercase letters, digits and single hyphens")
    labels = app.get("Labels", [])
    p.check(1 <= len(labels) <= 10 and all(isinstance(x, str) and SAR_LABEL.fullmatch(x) for x in labels), f"SAR Labels {labels} are not 1-10 valid labels")
    version = str(app.get("SemanticVersion"))
    p.check(SEMVER.fullmatch(version) is not None, f"SAR SemanticVersion {version!r} is not a semantic version")
    p.check(version == package.get("version"), f"SAR SemanticVersion {version} is not package.json's version {package.get('version')}")
    p.check(app.get("SpdxLicenseId") == package.get("license"), f"SAR SpdxLicenseId {app.get('SpdxLicenseId')} is not package.json's license")
    for key in ("LicenseUrl", "ReadmeUrl"):
        path = ROOT / str(app.get(key, ""))
        p.check(bool(app.get(key)) and path.is_file() and path.stat().st_size <= 5 * 1024 * 1024, f"SAR {key} {app.get(key)!r} is not a file of at most 5 MB")
    for key in ("HomePageUrl", "SourceCodeUrl"):
        p.check(str(app.get(key, "")).startswith("https://"), f"SAR {key} is not an https URL")
    placeholders = [k for k, v in app.items() if PLACEHOLDER in str(v)]
    note = f"; placeholders to set before publishing: {', '.join(placeholders)}" if placeholders else ""
    return f"SAR metadata {app.get('Name')} {version}{note}"


def main() -> int:
    started = time.monotonic()
    problems = Problems()

    matches = lint_file(TEMPLATE)
    errors = [m for m in matches if m.rule.id.startswith("E")]
    for m in matches:
        print(f"cfn-lint {m.rule.id} {m.message} (template.yaml:{m.linenumber})")
    problems.check(not matches, f"cfn-lint reports {len(errors)} error(s) and {len(matches) - len(errors)} warning(s) in template.yaml")
    print(f"cfn-lint: {len(errors)} errors, {len(matches) - len(errors)} warnings")

    template, decode_errors = decode(str(TEMPLATE))
    if template is None or decode_errors:
        print(f"validate_template: cannot read {TEMPLATE}: {decode_errors}", file=sys.stderr)
        return 1

    def run(name: str, check: Any) -> None:
        problems.scope = name
        before = len(problems.items)
        try:
            summary = check()
        except Exception as err:  # the translator's InvalidDocumentException and any surprise
            causes = getattr(err, "causes", None)
            detail = "; ".join(c.message for c in causes) if causes else f"{type(err).__name__}: {err}"
            problems.check(False, f"the SAM transform failed: {detail}")
            summary = "transform failed"
        status = "ok  " if len(problems.items) == before else "FAIL"
        print(f"{status} {name} → {summary}")

    for name, overrides in SCENARIOS:
        run(name, lambda overrides=overrides: check_scenario(problems, template, overrides))
    run("a new CorsAllowOrigin reaches the stages", lambda: check_cors_origin_redeploys(problems, template))
    run("Serverless Application Repository metadata", lambda: check_sar_metadata(problems, template))

    problems.scope = "parameters"
    before = len(problems.items)
    for name, overrides in REFUSED:
        params = parameter_values(template, overrides)
        problems.check(bool(parameter_errors(template, params)), f"{name} is accepted; CloudFormation should refuse it")
    print(f"{'ok  ' if len(problems.items) == before else 'FAIL'} {len(REFUSED)} bad parameter sets refused (patterns, allowed values, lengths, Rules)")

    elapsed = time.monotonic() - started
    if problems.items:
        print(f"\n{len(problems.items)} problem(s):", file=sys.stderr)
        for item in problems.items:
            print(f"  - {item}", file=sys.stderr)
        return 1
    print(f"template.yaml: valid in {len(SCENARIOS)} deployment shapes ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
