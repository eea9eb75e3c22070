"""Templates a user overrides: picked up by name, and mistakes reported without a traceback."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CARD_DIR, make_project, run_cardsite


def test_a_template_in_the_project_overrides_ours(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "templates" / "glossary.md.jinja").write_text(
        "# {{ title | md }}\n\nOur own glossary with {{ terms | length }} terms.\n\n"
        "{% for t in terms %}## {{ t.term | md }} { #{{ t.id }} }\n\n{% endfor %}",
        encoding="utf-8",
    )
    result = run_cardsite("build", str(CARD_DIR), "--target", "hosted", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "Our own glossary with 21 terms." in html


def test_a_broken_template_fails_cleanly_and_keeps_the_old_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert run_cardsite("build", str(CARD_DIR), "--target", "hosted", cwd=project).returncode == 0
    before = (project / "site" / "index.html").read_bytes()
    override = project / "templates" / "variant.md.jinja"
    override.write_text("# {{ title }}\n\n{% for x in %}\n", encoding="utf-8")
    result = run_cardsite("build", str(CARD_DIR), "--target", "hosted", cwd=project)
    assert result.returncode == 1
    assert "variant.md.jinja:3" in result.stderr
    assert "Traceback" not in result.stderr
    override.write_text("# {{ title }}\n\n{{ no_such_value }}\n", encoding="utf-8")
    result = run_cardsite("build", str(CARD_DIR), "--target", "hosted", cwd=project)
    assert result.returncode == 1
    assert "no_such_value" in result.stderr and "Traceback" not in result.stderr
    assert (project / "site" / "index.html").read_bytes() == before
