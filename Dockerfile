FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && SECRET_KEY=build DATABASE_URL=postgresql://build@localhost/build python manage.py compile_translations \
 && SECRET_KEY=build DATABASE_URL=postgresql://build@localhost/build python manage.py collectstatic --no-input
RUN useradd --system --uid 1000 arena && mkdir -p /data/media /app/var && chown -R arena /data /app/var
USER arena
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py bootstrap && gunicorn arena.wsgi:application --preload --workers 3 --threads 4 --worker-class gthread --bind 0.0.0.0:8000 --access-logfile -"]
