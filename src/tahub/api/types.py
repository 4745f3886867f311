"""Input types shared by the API's schemas."""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def _no_nul(value):
    # Databases cannot store or compare NUL characters; refuse them as invalid input.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_nul)]
