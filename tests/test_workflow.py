"""The GitHub workflow is valid and runs the README's own two commands."""
import re
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).parent.parent
WORKFLOW = PROJECT / ".github" / "workflows" / "site.yml"


def readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (PROJECT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_matches_the_github_actions_schema():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_tests_builds_and_deploys_with_the_readme_commands():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]                                   # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    build_command, test_command = readme_commands()
    assert (build_command, test_command) == ("make site", "make test")
    assert "make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")

    jobs = workflow["jobs"]
    assert any(step.get("run") == "bash .ci/run" for step in steps(jobs["test"]))
    assert any(step.get("run") == build_command for step in steps(jobs["build"]))
    assert jobs["build"]["needs"] == "test"
    upload = next(step for step in steps(jobs["build"]) if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == "public"
    deploy = jobs["deploy"]
    assert "pull_request" in deploy["if"] and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in step.get("uses", "") for step in steps(deploy))
