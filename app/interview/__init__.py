"""The interview screens: new-interview dialog, guided interview view, and the workspace that
takes one interview from its first question to its outcome."""

from app.interview.new_dialog import NewInterviewDialog
from app.interview.view import InterviewView
from app.interview.workspace import InterviewWorkspace

__all__ = ["InterviewView", "InterviewWorkspace", "NewInterviewDialog"]
