// Names of the people and customers a deal names by id. The signed-in person is named from the
// session: a rep may not be allowed to read the user directory, even their own entry.
import { useSessionStore } from '@/stores/session'
import { useNames } from '@/features/reviews/useNames'

export function usePeople() {
  const session = useSessionStore()
  const names = useNames()
  return {
    customer: names.customer,
    user: (id: string) => (id === session.me?.user.id ? session.me.user.name : names.user(id)),
  }
}
