#!/usr/bin/env python3
"""`npm run lint:template`: cfn-lint on template.yaml, then the SAM transform of every deployment shape, checked.

Offline and non-interactive: cfn-lint and the SAM translator (aws-sam-translator) run in-process
with the managed-policy list cfn-lint bundles, so nothing is fetched from AWS. For each scenario
below the template is transformed with that scenario's parameters, the conditions are evaluated
the way CloudFormation would, and the resulting resources are checked: the two Lambda authorizers
and their identity sources, a CUSTOM authorizer on every method, the routes of config/rules.json,
the gateway responses, the Lambda permissions, the demo Cognito resources. The transformed
template is linted again for each scenario. Exit status: 0 all good, 1 problems found (each one
printed), 2 a tool is missing.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
RULES = ROOT / "config" / "rules.json"
REGION = "us-east-1"
# The translator asks boto3 for a region to pick the partition; give it one so nothing looks further.
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)

try:
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
INLINE_RULES = json.dumps({"routes": [{"route": "GET /pets", "allow": ["authenticated"]}]})

# (name, parameter overrides): every condition that changes what is deployed, in each combination
# that matters — demo pool or own pool(s), sample API or authorizer only, TOKEN or REQUEST,
# an existing API allowed to invoke the authorizer or not.
SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("demo pool · sample API · TOKEN (all defaults)", {}),
    ("demo pool · sample API · REQUEST · cache off", {"AuthorizerType": "REQUEST", "AuthorizerResultTtl": "0"}),
    (
        "own pool · sample API · TOKEN · ID tokens · inline rules · stage v1",
        {"UserPoolId": POOL, "ClientId": CLIENT, "TokenUse": "id", "RouteRules": INLINE_RULES, "StageName": "v1"},
    ),
    (
        "own pool · sample API · REQUEST · existing API too",
        {"UserPoolId": POOL, "ClientId": CLIENT, "AuthorizerType": "REQUEST", "ExistingApiId": API_ID},
    ),
    ("demo pool · authorizer only · no API yet", {"DeployMode": "authorizer-only"}),
    ("demo pool · authorizer only · existing API", {"DeployMode": "authorizer-only", "ExistingApiId": API_ID}),
    (
        "two own pools · authorizer only · existing API",
        {
            "DeployMode": "authorizer-only",
            "UserPoolId": f"{POOL},{OTHER_POOL}",
            "ClientId": f"{CLIENT},{OTHER_CLIENT}",
            "ExistingApiId": API_ID,
        },
    ),
    ("own pool · authorizer only · no API yet", {"DeployMode": "authorizer-only", "UserPoolId": POOL, "ClientId": CLIENT}),
]

# Parameter sets CloudFormation must refuse (AllowedPattern, AllowedValues or the Rules section).
REFUSED: list[tuple[str, dict[str, str]]] = [
    ("a user pool without a client id", {"UserPoolId": POOL}),
    ("a client id without a user pool", {"ClientId": CLIENT}),
    ("an API id that is not one", {"ExistingApiId": "my-api"}),
    ("a user pool id without its region", {"UserPoolId": "AbC123", "ClientId": CLIENT}),
    ("an authorizer type that does not exist", {"AuthorizerType": "COGNITO_USER_POOLS"}),
    ("a cache TTL above API Gateway's maximum", {"AuthorizerResultTtl": "7200"}),
]

# What the TOKEN authorizer's validation expression must let through to the authorizer, and what not.
VALID_CREDENTIALS = ["Bearer aaa.bbb.ccc", "bearer a-b.c_d.e", "BEARER  x.y.z", "aaa.bbb.ccc"]
INVALID_CREDENTIALS = ["Basic dXNlcjpwYXNz", "Bearer aaa.bbb", "Bearer", "Bearer a.b.c d", "Bearer a.b.c.d", ""]

AUTHORIZER_ENV = ["USER_POOL_IDS", "CLIENT_IDS", "TOKEN_USE", "ROUTE_RULES", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL"]


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
    """What CloudFormation would refuse in these values: AllowedValues, AllowedPattern, Min/MaxValue, Rules."""
    errors = []
    for name, spec in template["Parameters"].items():
        value = values[name]
        if "AllowedValues" in spec and value not in [str(v) for v in spec["AllowedValues"]]:
            errors.append(f"{name}={value!r} is not one of {spec['AllowedValues']}")
        if "AllowedPattern" in spec and re.fullmatch(spec["AllowedPattern"], value) is None:
            errors.append(f"{name}={value!r} does not match {spec['AllowedPattern']}")
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


# ---------------------------------------------------------------- what each deployment must contain


def rule_routes() -> set[str]:
    """`METHOD /path` of every rule, as the API must serve them."""
    routes = set()
    for rule in json.loads(RULES.read_text())["routes"]:
        method, path = rule["route"].split(None, 1)
        routes.add(f"{method.upper()} {path.strip()}")
    return routes


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


def refers_to(value: Any, logical_id: str) -> bool:
    """True when the (resolved) value mentions the resource: Ref, GetAtt or ${Name...} in a Sub."""
    text = json.dumps(value)
    return f'"Ref": "{logical_id}"' in text or f'["{logical_id}", "Arn"]' in text or f"${{{logical_id}" in text


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
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"):
        p.check(env.get(name, "") == "", f"{name} is set: a deployed authorizer must fetch JWKS from Cognito itself")
    p.check(env.get("ROUTE_RULES") == params["RouteRules"], "ROUTE_RULES is not the RouteRules parameter")


def check_sample_api(p: Problems, resources: dict[str, Any], outputs: dict[str, Any], params: dict[str, str]) -> str:
    apis = of_type(resources, "AWS::ApiGateway::RestApi")
    if not p.check(list(apis) == ["PetsApi"], f"expected one REST API, PetsApi; found {sorted(apis)}"):
        return "no API"
    body = apis["PetsApi"]["Properties"]["Body"]
    schemes = body.get("components", {}).get("securitySchemes") or body.get("securityDefinitions") or {}
    ttl = params["AuthorizerResultTtl"]

    token = schemes.get("TOKEN", {})
    token_auth = token.get("x-amazon-apigateway-authorizer", {})
    p.check(token.get("x-amazon-apigateway-authtype") == "custom", "TOKEN authorizer is not CUSTOM")
    p.check(token_auth.get("type") == "token", "TOKEN authorizer is not of type token")
    p.check(token.get("in") == "header" and token.get("name") == "Authorization", "TOKEN authorizer does not read the Authorization header")
    p.check(str(token_auth.get("authorizerResultTtlInSeconds")) == ttl, f"TOKEN authorizer TTL is not {ttl}")
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
    p.check(str(request_auth.get("authorizerResultTtlInSeconds")) == ttl, f"REQUEST authorizer TTL is not {ttl}")
    p.check(refers_to(request_auth.get("authorizerUri"), "AuthorizerFunction"), "REQUEST authorizer does not invoke AuthorizerFunction")

    chosen = params["AuthorizerType"]
    routes: set[str] = set()
    for path, item in body.get("paths", {}).items():
        for verb, method in item.items():
            if verb == "parameters":
                continue
            name = "ANY" if verb == "x-amazon-apigateway-any-method" else verb.upper()
            integration = method.get("x-amazon-apigateway-integration", {})
            if name == "OPTIONS":
                # CORS preflight: answered by API Gateway itself, never reaching the backend.
                p.check(integration.get("type") == "mock" and "security" not in method,
                        f"OPTIONS {path} is not a credential-free mock preflight")
                continue
            routes.add(f"{name} {path}")
            p.check(method.get("security") == [{chosen: []}], f"{name} {path} is not protected by the {chosen} authorizer")
            p.check(integration.get("type") == "aws_proxy" and refers_to(integration.get("uri"), "BackendFunction"),
                    f"{name} {path} is not a Lambda proxy integration to BackendFunction")
    wanted = rule_routes()
    p.check(routes == wanted, f"API routes and config/rules.json differ: only API {sorted(routes - wanted)}, only rules {sorted(wanted - routes)}")

    responses = body.get("x-amazon-apigateway-gateway-responses", {})
    for kind, status, extra in [("UNAUTHORIZED", "401", {"WWW-Authenticate": "'Bearer'"}), ("ACCESS_DENIED", "403", {})]:
        response = responses.get(kind, {})
        headers = response.get("responseParameters", {})
        p.check(str(response.get("statusCode")) == status, f"gateway response {kind} is not {status}")
        p.check("application/json" in response.get("responseTemplates", {}), f"gateway response {kind} has no JSON body")
        p.check("gatewayresponse.header.Access-Control-Allow-Origin" in headers, f"gateway response {kind} has no CORS header")
        for header, value in extra.items():
            p.check(headers.get(f"gatewayresponse.header.{header}") == value, f"gateway response {kind} lacks {header}: {value}")

    permissions = of_type(resources, "AWS::Lambda::Permission")
    for name in ("TOKEN", "REQUEST"):
        perm = permissions.get(f"PetsApi{name}AuthorizerPermission", {}).get("Properties", {})
        p.check(refers_to(perm.get("FunctionName"), "AuthorizerFunction") and "/authorizers/*" in json.dumps(perm.get("SourceArn")),
                f"no permission for PetsApi's {name} authorizer to invoke AuthorizerFunction")
    backend_perms = [v for v in permissions.values() if refers_to(v["Properties"].get("FunctionName"), "BackendFunction")]
    p.check(len(backend_perms) == len(wanted), f"{len(backend_perms)} backend permissions for {len(wanted)} routes")

    stages = of_type(resources, "AWS::ApiGateway::Stage")
    p.check([s["Properties"].get("StageName") for s in stages.values()] == [params["StageName"]],
            f"expected exactly the stage {params['StageName']}, found {[s['Properties'].get('StageName') for s in stages.values()]}")
    p.check("ApiUrl" in outputs, "no ApiUrl output")
    return f"{len(routes)} routes all CUSTOM ({chosen}), TOKEN+REQUEST authorizers, {len(backend_perms) + 2} API permissions"


def check_demo_cognito(p: Problems, resources: dict[str, Any], outputs: dict[str, Any]) -> None:
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


def check_scenario(p: Problems, template: dict[str, Any], overrides: dict[str, str]) -> str:
    params = parameter_values(template, overrides)
    refused = parameter_errors(template, params)
    if not p.check(not refused, f"the scenario's parameters are refused: {refused}"):
        return "refused"
    transformed = transform(sam_input(template), dict(params), ManagedPolicies())
    resources, outputs = deployed(transformed, params)
    demo = params["UserPoolId"] == ""
    full = params["DeployMode"] == "full"
    check_authorizer_function(p, resources, params, demo)
    p.check(refers_to(outputs.get("AuthorizerFunctionArn"), "AuthorizerFunction"), "no AuthorizerFunctionArn output")
    uri = json.dumps(outputs.get("AuthorizerInvokeUri"))
    p.check(":apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthorizerFunction.Arn}/invocations" in uri,
            "AuthorizerInvokeUri is not API Gateway's Lambda invocation URI")

    summary = []
    if full:
        summary.append(check_sample_api(p, resources, outputs, params))
    else:
        p.check(not of_type(resources, "AWS::ApiGateway::RestApi"), "authorizer-only still creates a REST API")
        p.check("BackendFunction" not in resources, "authorizer-only still creates the backend")
        p.check("ApiUrl" not in outputs, "authorizer-only still outputs ApiUrl")
        summary.append("no sample API")

    existing = resources.get("ExistingApiAuthorizerPermission")
    if params["ExistingApiId"]:
        props = (existing or {}).get("Properties", {})
        arn = json.dumps(props.get("SourceArn"))
        p.check(props.get("Principal") == "apigateway.amazonaws.com" and refers_to(props.get("FunctionName"), "AuthorizerFunction"),
                "ExistingApiAuthorizerPermission does not let API Gateway invoke AuthorizerFunction")
        p.check("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ExistingApiId}/authorizers/*" in arn,
                f"ExistingApiAuthorizerPermission is not scoped to the API's authorizers: {arn}")
        summary.append(f"permission for API {params['ExistingApiId']}'s authorizers")
    else:
        p.check(existing is None, "ExistingApiAuthorizerPermission exists without ExistingApiId")

    demo_resources = [k for k in resources if k.startswith("Demo")]
    if demo:
        check_demo_cognito(p, resources, outputs)
        summary.append(f"demo Cognito ({len(demo_resources)} resources)")
    else:
        p.check(not demo_resources, f"an own pool still creates {demo_resources}")
        p.check(outputs.get("UserPoolId", {}).get("Value") == params["UserPoolId"], "UserPoolId output is not the given pool")
        summary.append("own pool")

    # W2001 (parameter not used): SAM inlines the parameters it reads in Auth (AuthorizerResultTtl).
    matches = lint(json.dumps(transformed), config=ManualArgs(regions=[REGION], ignore_checks=["W2001"]))
    for m in matches:
        level = "error" if m.rule.id.startswith("E") else "warning"
        if level == "error":
            p.check(False, f"cfn-lint on the transformed template: {m.rule.id} {m.message} (line {m.linenumber})")
        else:
            print(f"  warning (transformed): {m.rule.id} {m.message}")
    return f"{len(resources)} resources: " + ", ".join(summary)


def main() -> int:
    started = time.monotonic()
    problems = Problems()

    matches = lint_file(TEMPLATE)
    errors = [m for m in matches if m.rule.id.startswith("E")]
    for m in matches:
        print(f"cfn-lint {m.rule.id} {m.message} (template.yaml:{m.linenumber})")
    problems.check(not errors, f"cfn-lint reports {len(errors)} error(s) in template.yaml")
    print(f"cfn-lint: {len(errors)} errors, {len(matches) - len(errors)} warnings")

    template, decode_errors = decode(str(TEMPLATE))
    if template is None or decode_errors:
        print(f"validate_template: cannot read {TEMPLATE}: {decode_errors}", file=sys.stderr)
        return 1

    for name, overrides in SCENARIOS:
        problems.scope = name
        before = len(problems.items)
        try:
            summary = check_scenario(problems, template, overrides)
        except Exception as err:  # the translator's InvalidDocumentException and any surprise
            causes = getattr(err, "causes", None)
            detail = "; ".join(c.message for c in causes) if causes else f"{type(err).__name__}: {err}"
            problems.check(False, f"the SAM transform failed: {detail}")
            summary = "transform failed"
        status = "ok  " if len(problems.items) == before else "FAIL"
        print(f"{status} {name} → {summary}")

    problems.scope = "parameters"
    for name, overrides in REFUSED:
        params = parameter_values(template, overrides)
        problems.check(bool(parameter_errors(template, params)), f"{name} is accepted; CloudFormation should refuse it")
    print(f"{'ok  ' if not any(i.startswith('parameters') for i in problems.items) else 'FAIL'} "
          f"{len(REFUSED)} bad parameter sets refused (patterns, allowed values, Rules)")

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
