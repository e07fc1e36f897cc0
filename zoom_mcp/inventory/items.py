"""What the server can offer, as items of one shape: endpoint tools, task-level tools, resource
templates and prompts, each with a name, a toolset, a safety class and what it depends on.

`needs` are the catalog operations an item calls (their scopes decide `--hide-unauthorized`);
`via` are the tools a resource or prompt exposes: it is offered only where all of them are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zoom_mcp.api import Operation
from zoom_mcp.tasks.prompts import Prompt
from zoom_mcp.tasks.resources import ResourceTemplate
from zoom_mcp.tasks.tools import TaskTool

Kind = Literal["endpoint", "task", "resource", "prompt"]
Source = Operation | TaskTool | ResourceTemplate | Prompt


@dataclass(frozen=True, eq=False)
class Item:
    kind: Kind
    name: str
    toolset: str
    safety: str
    description: str
    needs: tuple[str, ...]
    via: tuple[str, ...]
    source: Source

    @property
    def is_tool(self) -> bool:
        return self.kind in ("endpoint", "task")

    @property
    def operation(self) -> Operation:
        assert isinstance(self.source, Operation), self.name
        return self.source

    @property
    def task(self) -> TaskTool:
        assert isinstance(self.source, TaskTool), self.name
        return self.source

    @property
    def template(self) -> ResourceTemplate:
        assert isinstance(self.source, ResourceTemplate), self.name
        return self.source

    @property
    def prompt(self) -> Prompt:
        assert isinstance(self.source, Prompt), self.name
        return self.source

    @property
    def argument_names(self) -> tuple[str, ...]:
        if isinstance(self.source, Operation):
            return tuple(self.source.arguments)
        if isinstance(self.source, TaskTool):
            return tuple(self.source.input_schema.get("properties", {}))
        return ()

    @property
    def search_terms(self) -> tuple[str, ...]:
        """The words people use for what this tool does (catalog data; a task-level tool's own)."""
        if isinstance(self.source, Operation | TaskTool):
            return self.source.search_terms
        return ()


def endpoint_item(op: Operation) -> Item:
    return Item("endpoint", op.name, op.toolset, op.safety, op.description, (op.name,), (), op)


def task_item(task: TaskTool) -> Item:
    return Item("task", task.name, task.toolset, task.safety, task.description, task.needs, (), task)


def resource_item(template: ResourceTemplate) -> Item:
    return Item(
        "resource",
        template.name,
        template.toolset,
        template.safety,
        template.description,
        (),
        (template.via,),
        template,
    )


def prompt_item(prompt: Prompt) -> Item:
    return Item("prompt", prompt.name, prompt.toolset, prompt.safety, prompt.description, (), prompt.via, prompt)
