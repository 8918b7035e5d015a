"""The settings file: strict helpers, production checks, the CSP and no outside assets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanpuku.settings import cache_backend, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_refuses_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)


def test_env_bool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_env_int_refuses_text(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)


def test_env_list_refuses_an_empty_list(monkeypatch):
    monkeypatch.setenv("X_LIST", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_LIST", [])


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-key-of-sufficient-length-1234567890",
        ALLOWED_HOSTS="sanpuku.city.example.lg.jp",
        CSRF_TRUSTED_ORIGINS="https://sanpuku.city.example.lg.jp",
        # Production runs several gunicorn workers: presence lives in the shared cache (W004).
        CACHE_BACKEND="redis",
        CACHE_LOCATION="redis://127.0.0.1:6379/0",
        SANPUKU_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_bad_debug_value_stops_startup(tmp_path):
    result = run_manage("check", DEBUG="perhaps", SANPUKU_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be" in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", code, SANPUKU_VAR_DIR=str(tmp_path))
    second = run_manage("shell", "--no-imports", "-c", code, SANPUKU_VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").exists()


def test_pages_carry_a_nonce_csp_without_unsafe_inline(client, owner):
    client.force_login(owner)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_no_template_or_stylesheet_loads_anything_from_outside():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.css")]:
        # XML namespaces (SVG's xmlns) are names, not addresses: nothing is fetched from them.
        text = path.read_text().replace("http://www.w3.org/", "")
        for marker in ("http://", "https://", "//cdn", "@import"):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker}")
    assert not offenders


def test_cache_backend_names_the_shared_redis_cache():
    assert cache_backend("redis", None) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
    assert cache_backend("file", "/srv/cache")["LOCATION"] == "/srv/cache"


@pytest.mark.parametrize(("name", "location"), [("memcache", None), ("redis", "127.0.0.1:6379")])
def test_cache_backend_refuses_what_it_cannot_read(name, location):
    with pytest.raises(ImproperlyConfigured):
        cache_backend(name, location)
