import json
from io import StringIO

from django.core.management import call_command

from apps.policy.management.commands.scan_message import Command


def run_command(stdin: str, *args: str) -> list[dict]:
    out = StringIO()
    call_command(Command(), *args, stdin=StringIO(stdin), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_whole_stdin_is_one_message():
    (result,) = run_command("Hi there,\ncall me at 555 867 5309\n")
    assert result["id"] is None
    assert result["action"] == "block"  # the default role is seller
    assert result["categories"] == ["phone"]
    (finding,) = result["findings"]
    assert {k: finding[k] for k in ("category", "start", "end", "excerpt")} == {
        "category": "phone",
        "start": 21,
        "end": 33,
        "excerpt": "555 867 5309",
    }


def test_role_option():
    (result,) = run_command("call me at 555 867 5309", "--role", "buyer")
    assert result["action"] == "redact"


def test_jsonl_mode_reports_bad_lines_and_goes_on():
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": "add me on whatsapp"}),
            "{not json",
            json.dumps({"id": "c", "text": "call 555 867 5309", "role": "buyer"}),
            json.dumps({"id": "d"}),
            json.dumps({"id": "e", "text": "Your order shipped."}),
        ]
    )
    results = run_command(lines, "--jsonl")
    assert [r.get("id") for r in results] == ["a", None, "c", None, "e"]
    assert results[0]["categories"] == ["contact_handle"]
    assert results[1]["line"] == 2
    assert "error" in results[1]
    assert results[2]["action"] == "redact"
    assert results[3]["line"] == 4
    assert "text" in results[3]["error"]
    assert results[4] == {"id": "e", "action": "allow", "categories": [], "findings": []}


def test_command_is_registered_under_its_name():
    out = StringIO()
    call_command("scan_message", stdin=StringIO("hello"), stdout=out)
    assert json.loads(out.getvalue())["action"] == "allow"
