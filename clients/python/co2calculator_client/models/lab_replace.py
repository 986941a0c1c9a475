from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LabReplace")


@_attrs_define
class LabReplace:
    """PUT: every field, plus the `version` the caller last read.

    Attributes:
        name (str):
        code (str): Short unique code, e.g. `BIO-LAB-3`
        version (int):
        institution (str | Unset):  Default: ''.
        description (str | Unset):  Default: ''.
        region (None | str | Unset): ISO country (or subdivision) code; picks regional emission factors
    """

    name: str
    code: str
    version: int
    institution: str | Unset = ""
    description: str | Unset = ""
    region: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        code = self.code

        version = self.version

        institution = self.institution

        description = self.description

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "code": code,
                "version": version,
            }
        )
        if institution is not UNSET:
            field_dict["institution"] = institution
        if description is not UNSET:
            field_dict["description"] = description
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        code = d.pop("code")

        version = d.pop("version")

        institution = d.pop("institution", UNSET)

        description = d.pop("description", UNSET)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        lab_replace = cls(
            name=name,
            code=code,
            version=version,
            institution=institution,
            description=description,
            region=region,
        )

        return lab_replace
