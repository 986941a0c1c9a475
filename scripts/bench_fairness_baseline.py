"""The app with the claim statement before fair scheduling (strictly oldest job first), for the
fairness benchmark's baseline: `uvicorn scripts.bench_fairness_baseline:app`. Everything else is
today's code."""

from app.main import create_app
from app.repositories import job as job_repository
from scripts.bench_fairness import OLDEST_FIRST_CLAIM

job_repository._CLAIM = OLDEST_FIRST_CLAIM  # the baseline is exactly this swap
app = create_app()
