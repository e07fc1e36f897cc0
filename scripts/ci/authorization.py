"""The MCP conformance suite's authorization server scenarios against a running `zoom-mcp --sandbox
--transport http --auth oauth`, with the person's browser steps played here.

    uv run python scripts/ci/authorization.py NODE CONFORMANCE_JS BASE_URL OUT_DIR

`authorization-server-metadata-endpoint` needs nothing but the issuer. `authorization-code-grant` needs a
registered client and a person: this registers one by dynamic registration (RFC 7591) with the suite's
loopback redirect URI, starts the scenario, reads the authorization URL it prints, and plays the person
(a browser without JavaScript: our consent page, the sandbox's Zoom sign-in as its owner, our callback,
then the suite's redirect URI). Each scenario must end with no failed check. Loopback only.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path

import httpx2

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.oauth_harness import Browser  # noqa: E402  (the tests' browser: cookies, forms, the sandbox's page)
from zoom_mcp.sandbox.fixtures.people import OWNER_ID  # noqa: E402

SCENARIOS = ("authorization-server-metadata-endpoint", "authorization-code-grant")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def report(out: Path, rc: int, output: str) -> bool:
    """Print each check of each scenario's checks.json; True when every scenario ran and nothing failed."""
    ok = rc == 0
    ran = {d.name for d in out.iterdir() if d.is_dir()} if out.is_dir() else set()
    unnamed = [d for d in ran if not any(s in d for s in SCENARIOS)]
    if unnamed:  # a scenario the pinned suite has and this script does not know: look at it, then name it
        print(f"  FAIL scenarios this script does not name: {', '.join(sorted(unnamed))}")
        ok = False
    for scenario in SCENARIOS:
        files = sorted(out.glob(f"*{scenario}*/checks.json"))
        if not files:
            print(f"  FAIL {scenario}: no checks.json")
            ok = False
            continue
        checks = json.loads(files[-1].read_text())
        for check in checks:
            if check.get("status") != "INFO":
                note = check.get("errorMessage") or check.get("description") or ""
                print(f"       {check.get('status'):<8} {check.get('id')}: {note[:200]}")
        failed = [c for c in checks if c.get("status") in ("FAILURE", "SKIPPED")]
        passed = bool(checks) and not failed
        print(f"  {'ok  ' if passed else 'FAIL'} {scenario}" + ("" if passed else f" ({len(failed)} failed check(s))"))
        ok = ok and passed
    if not ok:
        print(f"exit {rc}; the suite's output:\n{output[-3000:]}")
    return ok


async def register(base: str, redirect: str) -> str:
    """A client registered by dynamic registration (RFC 7591), public, with the suite's redirect URI."""
    async with httpx2.AsyncClient(timeout=30) as http:
        registered = await http.post(
            f"{base}/register",
            json={
                "client_name": "MCP conformance suite",
                "redirect_uris": [redirect],
                "token_endpoint_auth_method": "none",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
            },
        )
    if registered.status_code != 201:
        raise SystemExit(f"  FAIL registration answered {registered.status_code}: {registered.text[:300]}")
    return str(registered.json()["client_id"])


async def main(node: str, conformance: str, base: str, out_dir: str) -> int:
    """Every authorization server scenario of the suite in one run (a later one uses an earlier one's
    answer), the person's steps played when the suite prints the authorization URL."""
    port = free_port()
    client_id = await register(base, f"http://127.0.0.1:{port}/callback")
    command = [node, conformance, "authorization", "--url", base, "--client-id", client_id]
    command += ["--resource", f"{base}/mcp", "--port", str(port), "-o", out_dir]
    proc = await asyncio.create_subprocess_exec(
        *command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    lines: list[str] = []
    browser = Browser()
    try:
        async with asyncio.timeout(240):
            while line := (await proc.stdout.readline()).decode(errors="replace"):
                lines.append(line)
                if line.startswith(f"{base}/authorize?"):
                    # The person: our consent page, the sandbox's Zoom as its owner, back to the suite.
                    landed = await browser.sign_in(line.strip(), OWNER_ID)
                    async with httpx2.AsyncClient(timeout=30) as http:
                        answer = await http.get(landed)
                    print(f"  (the person was sent back to the suite's redirect URI: HTTP {answer.status_code})")
            rc = await proc.wait()
    except TimeoutError:
        proc.kill()
        rc = await proc.wait()
        lines.append("timed out after 240 s\n")
    finally:
        await browser.aclose()
    if not report(Path(out_dir), rc, "".join(lines)):
        print("\nauthorization conformance: FAILED", file=sys.stderr)
        return 1
    print(f"\nauthorization conformance: {len(SCENARIOS)} scenarios passed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(*sys.argv[1:])))
