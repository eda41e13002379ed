"""docker-compose.yml and Dockerfile say what the official Neo4j image and graphsvc need.

No Docker engine runs here, so these read the files: the compose file must parse and name
the image, credentials, ports, volumes and health check the official ``neo4j`` image
documents; graphsvc must start only on a healthy Neo4j, migrate, then serve. When a
``docker compose`` plugin is installed, ``docker compose config`` validates it as well.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_neo4j_is_the_official_5_26_community_image_with_auth_from_the_environment(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    # the image takes NEO4J_AUTH as neo4j/<password>; the password comes from the host env
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")
    # no other NEO4J_* variable: the image turns each one into a neo4j.conf setting
    assert [k for k in neo4j["environment"] if k.startswith("NEO4J_")] == ["NEO4J_AUTH"]


def test_default_password_satisfies_the_image_rules(compose: dict[str, Any]) -> None:
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    default = auth.split(":-", 1)[1].rstrip("}")
    assert len(default) >= 8
    assert default != "neo4j"


def test_neo4j_publishes_http_and_bolt_and_keeps_data_and_logs_in_volumes(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert {p.rsplit(":", 1)[1] for p in neo4j["ports"]} == {"7474", "7687"}
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"])
    mounts = dict(v.split(":", 1)[::-1] for v in neo4j["volumes"])
    assert mounts == {"/data": "neo4j-data", "/logs": "neo4j-logs"}
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}


def test_neo4j_health_is_a_real_query_with_the_configured_password(
    compose: dict[str, Any],
) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    kind, command = check["test"]
    assert kind == "CMD-SHELL"
    assert "cypher-shell" in command
    assert "RETURN 1" in command
    # $$ reaches the container as $, so the shell there expands the variable
    assert '"$$GRAPHSVC_NEO4J_PASSWORD"' in command
    assert "GRAPHSVC_NEO4J_PASSWORD" in compose["services"]["neo4j"]["environment"]
    assert check["start_period"]
    assert check["retries"] >= 3


def test_graphsvc_waits_for_healthy_neo4j_migrates_then_serves(compose: dict[str, Any]) -> None:
    app = compose["services"]["graphsvc"]
    assert app["build"] == "."
    assert app["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = app["environment"]
    assert env["GRAPHSVC_STORE"] == "neo4j://neo4j:7687"
    assert (
        env["GRAPHSVC_NEO4J_PASSWORD"]
        == compose["services"]["neo4j"]["environment"]["GRAPHSVC_NEO4J_PASSWORD"]
    )
    assert {"GRAPHSVC_NEO4J_USER", "GRAPHSVC_NEO4J_DATABASE", "GRAPHSVC_DEMO"} <= set(env)
    script = " ".join(app["command"])
    assert script.index("graphsvc migrate &&") < script.index("graphsvc serve --host 0.0.0.0")
    assert "graphsvc demo --host 0.0.0.0" in script
    assert app["ports"] == ["127.0.0.1:8000:8000"]


def test_dockerfile_is_slim_non_root_and_ships_the_cypher_statements() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]
    assert stages == ["python:3.11-slim", "python:3.11-slim"]
    assert "USER graphsvc" in text
    assert "useradd" in text
    assert "COPY cypher /opt/graphsvc/cypher" in text
    assert "GRAPHSVC_CYPHER_DIR=/opt/graphsvc/cypher" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ignored[ignored.index("*") :][:5] == [
        "*",
        "!pyproject.toml",
        "!README.md",
        "!graphsvc/",
        "!cypher/",
    ]


def test_docker_compose_config_accepts_the_file() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker CLI here")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker CLI here has no compose plugin (`docker compose` is unknown)")
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "NEO4J_PASSWORD": "a-long-password"},
    )
    assert result.returncode == 0, result.stderr
