"""A small support bot, for the PepperPy walkthrough: one system prompt, one user prompt."""
from openai import OpenAI

client = OpenAI()

SYSTEM_PROMPT = (
    "You are a friendly and very helpful customer support assistant for Acme Cloud. "
    "Please make sure that you always answer the question of the user in a polite and professional way. "
    "In order to give a good answer, it is really important that you basically only use the information "
    "that is provided to you in the context below, and you should not make up any facts at all. "
    "If you do not know the answer to the question, you should just say that you do not know the answer. "
    "Answer in at most 3 sentences."
)


def answer(question: str, context: str) -> str:
    response = client.chat.completions.create(
        model="gpt-5.4",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Context:\n{context}\n\nQuestion: {question}"},
        ],
    )
    return response.choices[0].message.content or ""
