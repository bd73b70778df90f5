"""Queries whose SQL is built and compiled once per process, then run with other ids (issue 16).

Django builds and compiles a query anew each time it runs. For the visibility rules (subqueries of memberships
and of suggestion decisions) that is 1.5-2.5 ms of CPU a query, several times what PostgreSQL takes to run it, and
the most of a request's time: an article read with its annotations, a create's read of the suggestions it may
resolve. A `Compiled` query is made by the same code as the ORM's (its `build` function, the rule's one
statement), called once per shape with stand-in ids; each run binds the real ids in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# The stand-ins are STAND_IN, STAND_IN - 1, ...: within a 32-bit integer column's range (Django turns a lookup of a
# value out of a field's range, such as a negative offset, into a constant) and no constant of our queries.
STAND_IN = 2_147_000_000


class Compiled:
    """`build(shape, *ids)` makes the queryset: `shape` is whatever changes its SQL besides the ids (such as the
    user's flags that visible_to branches on); each id is a whole number put in the query as a value."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.shapes: dict = {}

    def _compiled(self, shape: Hashable, count: int):
        if shape not in self.shapes:
            stand_ins = [STAND_IN - i for i in range(count)]
            queryset = self.build(shape, *stand_ins)
            compiler = queryset.query.get_compiler(queryset.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # e.g. visible_to(...).none(): nothing to ask
                sql, params = None, ()
            # A value may come wrapped (psycopg's Int4 for a lookup of a positive integer field): kept so.
            places = [
                (i, stand_ins.index(p), type(p)) for i, p in enumerate(params) if isinstance(p, int) and p in stand_ins
            ]
            if sql is not None and sorted({k for _, k, _ in places}) != list(range(count)):
                raise ValueError(f"{self.build.__qualname__} did not put every id in its query as a value")
            self.shapes[shape] = (queryset, compiler, sql, list(params), places)
        return self.shapes[shape]

    def _bound(self, shape: Hashable, ids: tuple[int, ...]):
        queryset, compiler, sql, params, places = self._compiled(shape, len(ids))
        params = list(params)
        for i, k, wrap in places:
            params[i] = wrap(ids[k])
        return queryset, compiler, sql, params

    def _run(self, shape: Hashable, ids: tuple[int, ...]):
        queryset, compiler, sql, params = self._bound(shape, ids)
        if sql is None:
            return queryset, compiler, []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return queryset, compiler, list(compiler.apply_converters(rows, converters)) if converters else rows

    def rows(self, shape: Hashable, *ids: int) -> list[dict]:
        """The rows of a .values() query, as dicts, converted as Django converts them (JSON, for one)."""
        queryset, _, rows = self._run(shape, ids)
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def instances(self, shape: Hashable, *ids: int) -> list[Model]:
        """The model instances of a model query, with its select_related objects and its annotations, made as
        Django's ModelIterable makes them."""
        queryset, compiler, rows = self._run(shape, ids)
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        related = get_related_populators(info, compiler.select, queryset.db)
        made = []
        for row in rows:
            instance = info["model"].from_db(queryset.db, names, row[start:end])
            for populator in related:
                populator.populate(row, instance)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            made.append(instance)
        return made
