"""`plansite new DIR --province 省名`: a province's repository for the portal over its districts.

Writes districts.yml (the districts, with how to write one), the portal's mkdocs.yml, the GitHub
Actions and Gitea Actions workflows (a job that emits the matrix of districts.yml in batches of
256, one build job per district, the portal job after them), requirements.txt pinning this
PlanSite, .gitignore and a README. Written as `plansite new` writes a site: all at once or nothing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import yaml

from .newsite import _yaml_scalar, check_text, plansite_requirement, write_repository
from .portal import BATCH, BATCH_JOBS, portal_config

# the build job's command: the district's own site built as `plansite portal --build-districts`
# builds it (district_build_command), its plans.json set aside for the portal job
BUILD = ['mkdocs build --strict -f "$DISTRICT_PATH/mkdocs.yml" -d "$PWD/build/$DISTRICT_ID"',
         'mkdir -p "portal-input/$DISTRICT_ID/data"',
         'cp "build/$DISTRICT_ID/data/plans.json" "portal-input/$DISTRICT_ID/data/"']
# GitHub: the districts' plans.json of this run, as artifacts; Gitea's artifact server speaks no
# protocol of upload-artifact@v4 or later (and v3 is retired on GitHub, so actionlint refuses it):
# there the portal reads each district's published plans.json
PORTAL = {"github": "plansite portal --sites sites --out site", "gitea": "plansite portal --out site"}


def province_files(name: str, plansite: str | None = None) -> dict[str, str]:
    name = check_text("--province", name, "江南省")
    source = check_text("--plansite", plansite, "git+https://github.com/学校/plansite@v0.1.0") if plansite else None
    env = jinja2.Environment(loader=jinja2.PackageLoader("plansite", "skeleton/province"), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True, variable_start_string="[[",
                             variable_end_string="]]", block_start_string="[%", block_end_string="%]")
    env.filters["yaml"] = _yaml_scalar
    context = {"name": name, "batch": BATCH, "batch_jobs": BATCH_JOBS, "build_command": "\n          ".join(BUILD)}
    files = {f".{host}/workflows/portal.yml": env.get_template("portal.yml.j2").render(
        host=host, portal_command=command, **context) for host, command in PORTAL.items()}
    files["districts.yml"] = env.get_template("districts.yml.j2").render(**context)
    files["README.md"] = env.get_template("README.md.j2").render(**context)
    files[".gitignore"] = env.get_template("gitignore.j2").render(**context)
    files["mkdocs.yml"] = yaml.safe_dump(portal_config(name), allow_unicode=True, sort_keys=False)
    files["requirements.txt"] = "# 门户和各区县网站用同一个 PlanSite\n" + "".join(f"{line}\n" for line in plansite_requirement(source)[1])
    files["docs/.gitkeep"] = ""
    return files


def create_province(target: Path, name: str, plansite: str | None = None) -> list[str]:
    """Raises NewSiteError as create_site does."""
    return write_repository(target, province_files(name, plansite), wheel=not plansite)  # PlanSite is on no index
