"""Project-wide promises: migrations match the models, production settings pass Django's checks."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_settings_pass_the_deploy_checks(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "TESTING": "false",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789",
        "ALLOWED_HOSTS": "messages.example.com",
        "MESSAGING_DOMAIN": "messages.example.com",
        "DATABASE_URL": "postgres://user:pass@db.internal:5432/messages",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "EMAIL_URL": "smtp://mailer:secret@smtp.example.com:587/?tls=True",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_defaults_need_no_configuration(tmp_path):
    configured = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY"}
    env = {key: value for key, value in os.environ.items() if key not in configured}
    env.update(VAR_DIR=str(tmp_path), TESTING="false")
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.MAILERS['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "messaging_center.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
    ]
    assert (tmp_path / "secret_key").read_text().strip()
