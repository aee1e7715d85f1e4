"""Git and the Git host for `plansite inbox`: a commit on a new branch made in a temporary worktree
(the user's branch, index and files untouched), and a pull request opened through the host's REST API.

Hosts (configured by the environment Actions gives a job, never by a flag):
    GitHub  GITHUB_TOKEN + GITHUB_REPOSITORY; the API at GITHUB_API_URL (https://api.github.com)
    Gitea   GITEA_TOKEN (or GITHUB_TOKEN with GITEA_ACTIONS=true) + GITHUB_REPOSITORY; the API at
            GITHUB_SERVER_URL/api/v1 (Gitea Actions sets the server URL; Forgejo's API is the same)
Without them there is no push and no pull request: the branch is local and the command says how to
look at it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BODY_LIMIT = 60_000  # GitHub refuses a description over 65,536 characters


class GitError(Exception):
    """A git command failed: the message says which, with git's own words."""


@dataclass(frozen=True)
class Repo:
    root: Path  # the work tree's top folder

    def git(self, *args: str, cwd: Path | None = None) -> str:
        proc = subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=cwd or self.root,
                              capture_output=True, text=True, encoding="utf-8", errors="replace")
        if proc.returncode:
            raise GitError(f"git {' '.join(args[:2])} 失败：{(proc.stderr or proc.stdout).strip()}")
        return proc.stdout

    def head(self) -> str | None:
        try:
            return self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip() or None
        except GitError:
            return None

    def branch_name(self) -> str | None:
        try:
            return self.git("symbolic-ref", "--quiet", "--short", "HEAD").strip() or None
        except GitError:
            return None  # a detached HEAD

    def changes(self, paths: list[str]) -> list[str]:
        """Paths with changes not committed (staged, unstaged or untracked) among these."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
        entries, skip = [], False
        for entry in out.split("\0"):
            if skip or not entry:
                skip = False
                continue
            entries.append(entry[3:])
            skip = entry[0] in "RC"  # a rename's second path follows
        return entries

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A temporary worktree of HEAD, detached: commits made there touch no branch until one is named."""
        with tempfile.TemporaryDirectory(prefix="plansite-inbox-") as tmp:
            tree = Path(tmp) / "tree"
            self.git("worktree", "add", "--quiet", "--detach", str(tree), "HEAD")
            try:
                yield tree
            finally:
                with contextlib.suppress(GitError):
                    self.git("worktree", "remove", "--force", str(tree))
                with contextlib.suppress(GitError):
                    self.git("worktree", "prune")

    def commit(self, tree: Path, paths: list[str], removed: list[str], message: str) -> str:
        """In `tree`, stage exactly these paths (additions, changes, removals) and the removal of
        `removed` (moved away; tracked or not), and commit; the new commit."""
        self.git("add", "--all", "--", *paths, cwd=tree)
        self.git("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *removed, cwd=tree)
        identity = [] if self._configured("user.email", tree) else \
            ["-c", "user.name=PlanSite", "-c", "user.email=plansite@users.noreply.localhost"]
        self.git(*identity, "commit", "--quiet", "--no-verify", "-m", message, cwd=tree)
        return self.git("rev-parse", "HEAD", cwd=tree).strip()

    def _configured(self, key: str, cwd: Path) -> bool:
        try:
            return bool(self.git("config", "--get", key, cwd=cwd).strip())
        except GitError:
            return False

    def new_branch(self, base_name: str, commit: str) -> str:
        """A branch at commit named base_name, or base_name-2 … when that name is taken."""
        name, n = base_name, 2
        while self.git("branch", "--list", name).strip():
            name, n = f"{base_name}-{n}", n + 1
        self.git("branch", name, commit)
        return name

    def push(self, branch: str, remote: str = "origin") -> None:
        self.git("push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")


def repository(folder: Path) -> Repo | None:
    """The Git work tree the folder is in; None outside one (or without git)."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    except (OSError, ValueError):
        return None
    return Repo(Path(proc.stdout.strip())) if proc.returncode == 0 and proc.stdout.strip() else None


# ------------------------------------------------------------------ the host's pull request


@dataclass(frozen=True)
class Host:
    kind: str  # github | gitea
    api: str  # the REST API's base URL, no trailing slash
    repo: str  # owner/name
    token: str

    @property
    def name(self) -> str:
        return "GitHub" if self.kind == "github" else "Gitea"


def host_from_env(env: dict[str, str]) -> Host | None:
    """The Git host the environment configures (see the module's docstring); None when none is."""
    repo = env.get("GITHUB_REPOSITORY", "").strip()
    gitea = bool(env.get("GITEA_TOKEN")) or env.get("GITEA_ACTIONS") == "true"
    token = (env.get("GITEA_TOKEN") if gitea else None) or env.get("GITHUB_TOKEN", "")
    if not repo or not token:
        return None
    if gitea:
        server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
        if not server:
            return None
        return Host("gitea", f"{server}/api/v1", repo, token)
    return Host("github", (env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"), repo, token)


class HostError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def pull_request_body(review: str, left: str) -> str:
    """The description: the files left in inbox/, then the import review, cut to what hosts accept."""
    body = left + review
    if len(body) > BODY_LIMIT:
        body = body[:BODY_LIMIT] + "\n\n……（导入报告太长，其余见分支里的 导入报告.md）\n"
    return body


def open_pull_request(host: Host, head: str, base: str, title: str, body: str, timeout: float = 30) -> str:
    """POST the pull request; its web address. Raises HostError with the host's own message."""
    url = f"{host.api}/repos/{host.repo}/pulls"
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "plansite-inbox"}
    if host.kind == "github":
        headers.update({"Authorization": f"Bearer {host.token}", "Accept": "application/vnd.github+json",
                        "X-GitHub-Api-Version": "2022-11-28"})
    else:
        headers.update({"Authorization": f"token {host.token}", "Accept": "application/json"})
    data = json.dumps({"title": title, "head": head, "base": base, "body": body}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as e:
        said = _message(e)
        hint = "检查工作流的 permissions（contents: write、pull-requests: write）和令牌"
        if host.kind == "github" and e.code == 403:
            hint = ("在 GitHub 仓库的 Settings → Actions → General → Workflow permissions 里勾选 "
                    "“Allow GitHub Actions to create and approve pull requests”")
        raise HostError(f"{host.name} 没有建立拉取请求（HTTP {e.code}：{said}）", hint) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise HostError(f"连不上 {host.name}（{url}）：{reason}", "稍后在 Actions 页面重新运行这个工作流") from None
    return str(answer.get("html_url") or answer.get("url") or "")


def _message(error: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(error.read().decode("utf-8"))
    except (ValueError, OSError):
        return error.reason or ""
    message = str(data.get("message") or error.reason or "") if isinstance(data, dict) else ""
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list):
        message += "；" + "；".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    return message
