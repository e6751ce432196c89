# RoomBot in HTTP mode (`roombot serve` on port 3000). Build: docker build -t roombot .
# Run: docker run -p 3000:3000 --env-file .env roombot   (README "Deployment")

# The join page's Calling SDK comes from npm at build time, never from git (its licence allows
# installing it, not redistributing it from the repo; bot/web/build.mjs). Only the built
# static/vendor/ reaches the final image: node_modules, npm and Node stay in this stage.
FROM node:20-slim AS web-vendor
WORKDIR /web
COPY bot/web/package.json bot/web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY bot/web/build.mjs ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock file changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY README.md ./
COPY bot ./bot
COPY --from=web-vendor /web/static/vendor ./bot/web/static/vendor
COPY acs_emulator ./acs_emulator
COPY slack_standin ./slack_standin
COPY storage ./storage
RUN uv sync --frozen --no-dev

# Never run as root. The SQLite file (the default store) lives in /data: mount a volume there,
# or set DATABASE_URL to PostgreSQL. Working in /data keeps a relative ROOMBOT_DATA_DIR (the
# `.roombot` of .env.example) writable and on the volume too.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin roombot \
    && mkdir /data && chown roombot /data
ENV PATH="/app/.venv/bin:$PATH" \
    ROOMBOT_DATA_DIR=/data \
    PORT=3000
VOLUME ["/data"]
WORKDIR /data
USER roombot

EXPOSE 3000
# The slim image has no curl: ask /healthz with Python's urllib (a non-2xx answer raises).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"

CMD ["roombot", "serve"]
