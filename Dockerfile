FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/messaging-center
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app app \
    && mkdir -p /var/lib/messaging-center && chown app /var/lib/messaging-center
WORKDIR /app
COPY pyproject.toml README.md ./
COPY apps apps
COPY messaging_center messaging_center
RUN pip install --no-cache-dir ".[s3]"
COPY --chown=app . .
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input -v 0
USER app
# Compile the policy filter's word lists and Hyperscan database into the image (~/.cache), so
# no process pays for it on its first message.
RUN python -c "from apps.policy.scan import warm_up; warm_up()"
EXPOSE 8000 2525
CMD ["gunicorn", "messaging_center.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
