"""factory_boy factories for the domain model, with news-like text."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from annotator.accounts.models import Membership, Role, User
from annotator.articles.ingestion import content_hash
from annotator.articles.models import Article, Project

NEWS_BODY = (
    "Prime Minister Ana Kovač said on Tuesday that “inflation will fall below 3% by June,” "
    "a forecast economists called optimistic. “We have turned the corner,” she told reporters — "
    "though critics 😐 disagreed.\n\nThe central bank’s governor, Jürgen Weiß, was more cautious."
)


# Hashed once: hashing per user (PBKDF2, deliberately slow) would dominate the tests' time.
PASSWORD = "correct horse battery staple"
PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = PASSWORD_HASH


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Election desk {n}")
    slug = factory.Sequence(lambda n: f"election-desk-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Role.ANNOTATOR


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Minister forecasts lower prices ({n})")
    body = factory.Sequence(lambda n: f"{NEWS_BODY}\n\nUpdate {n}.")
    source = "The Daily Ledger"
    content_hash = factory.LazyAttribute(lambda a: content_hash(a.body))
