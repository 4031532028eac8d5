"""`python -m tests.pg_available URL`: exit 0 when the PostgreSQL server at URL answers."""

import sys

from sqlalchemy import create_engine, text


def main(url: str) -> int:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
